package dev.nosso.identity;

import dev.nosso.platform.Problems;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * Creates the first administrator on purpose, never as a side effect of whoever signs up first. At start-up,
 * when no active administrator exists: from {@code NOSSO_ADMIN_EMAIL} and {@code NOSSO_ADMIN_PASSWORD} if
 * they are set; otherwise by printing a one-time setup link whose token is stored only as a digest and is
 * valid until it is used or the next start replaces it.
 */
@Component
class FirstAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);
    private static final String ADMIN_NAME = "Administrator";

    private final IdentitySettings settings;
    private final Users users;
    private final UserRepository userRows;
    private final SettingRepository settingRows;
    private final TransactionTemplate writing;
    private final Environment environment;
    private final Clock clock;

    FirstAdmin(IdentitySettings settings, Users users, UserRepository userRows, SettingRepository settingRows,
               PlatformTransactionManager transactions, Environment environment, Clock clock) {
        this.settings = settings;
        this.users = users;
        this.userRows = userRows;
        this.settingRows = settingRows;
        this.writing = new TransactionTemplate(transactions);
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (userRows.anyActiveAdmin()) {
            // A link printed before an administrator existed must not make a second one later.
            settingRows.delete(SettingRepository.SETUP_TOKEN_HASH);
            return;
        }
        if (settings.hasAdmin()) {
            createFromSettings();
        } else {
            printSetupLink();
        }
    }

    private void createFromSettings() {
        Users.NewAccount account;
        try {
            account = users.prepare(settings.adminEmail(), settings.adminPassword(), ADMIN_NAME);
        } catch (ErrorResponseException e) {
            throw new IllegalStateException("NOSSO_ADMIN_EMAIL / NOSSO_ADMIN_PASSWORD: " + e.getBody().getDetail(), e);
        }
        try {
            User admin = users.insert(account, Role.ADMIN);
            log.info("Created the first administrator, {}, from NOSSO_ADMIN_EMAIL.", admin.email());
        } catch (ErrorResponseException e) {
            if (userRows.anyActiveAdmin()) {
                return; // another node, starting at the same moment, created it
            }
            // Promoting that account would hand the server to whoever registered the email first.
            throw new IllegalStateException("NOSSO_ADMIN_EMAIL names an existing account that is not an active "
                    + "administrator; choose another email, or unset both variables to get a setup link.", e);
        }
    }

    private void printSetupLink() {
        String token = Tokens.random();
        settingRows.put(SettingRepository.SETUP_TOKEN_HASH, Tokens.hash(token), clock.instant());
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        log.warn("No administrator exists yet. Create one at http://localhost:{}/setup?token={} "
                + "(the link works once, until the next start), or set NOSSO_ADMIN_EMAIL and NOSSO_ADMIN_PASSWORD.",
                port, token);
    }

    /**
     * Creates the administrator named in a setup request. Consuming the token and inserting the account are
     * one transaction: a taken email leaves the token usable, and two requests with one token make one admin.
     */
    User redeem(String token, String email, String name, String password) {
        String hash = Tokens.hash(token == null ? "" : token.strip());
        // Checked before the password is hashed too, so that guessing tokens costs the server nothing.
        if (settingRows.find(SettingRepository.SETUP_TOKEN_HASH).filter(stored -> Tokens.sameHash(stored, hash))
                .isEmpty()) {
            throw invalidToken();
        }
        Users.NewAccount account = users.prepare(email, password, name);
        return writing.execute(tx -> {
            if (!settingRows.take(SettingRepository.SETUP_TOKEN_HASH, hash)
                    || userRows.anyActiveAdmin()) {
                throw invalidToken();
            }
            return users.insert(account, Role.ADMIN);
        });
    }

    private static ErrorResponseException invalidToken() {
        return Problems.exception(HttpStatus.FORBIDDEN, "setup-token-invalid",
                "This setup link is not valid: it was used already, or the server has restarted since it was "
                        + "printed. An administrator may exist already; otherwise use the link in the latest log.");
    }
}
