package dev.nosso.provider;

import dev.nosso.platform.Ids;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * The connections the environment declares, applied at each start: {@code openai} from
 * {@code NOSSO_OPENAI_BASE_URL} and {@code NOSSO_OPENAI_API_KEY}, {@code ollama} from {@code NOSSO_OLLAMA_URL}
 * (by default {@code http://127.0.0.1:11434}; set it empty for none). Their kind, address and key follow the
 * variables; whether they are enabled is the administrators' choice and survives restarts. A variable that is
 * no longer set removes its connection; a connection an administrator made under the same name is taken over,
 * unless they made it to replace the environment's (in the admin page), which is then left as it is.
 * Nothing here calls a provider: an absent Ollama only shows unhealthy in the catalog.
 */
@Component
class EnvironmentConnections implements ApplicationRunner {

    static final String OPENAI = "openai";
    static final String OLLAMA = "ollama";

    private static final Logger log = LoggerFactory.getLogger(EnvironmentConnections.class);

    private final ProviderSettings settings;
    private final ConnectionRepository rows;
    private final SecretBox secrets;
    private final ModelCatalog catalog;
    private final TransactionTemplate writing;
    private final Clock clock;

    EnvironmentConnections(ProviderSettings settings, ConnectionRepository rows, SecretBox secrets,
                           ModelCatalog catalog, PlatformTransactionManager transactions, Clock clock) {
        this.settings = settings;
        this.rows = rows;
        this.secrets = secrets;
        this.catalog = catalog;
        this.writing = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        apply(OPENAI, ConnectionKind.OPENAI, settings.openai().effectiveBaseUrl(), settings.openai().apiKey(),
                "NOSSO_OPENAI_BASE_URL (nosso.openai.base-url)");
        apply(OLLAMA, ConnectionKind.OLLAMA, settings.ollama().effectiveUrl(), null, "NOSSO_OLLAMA_URL (nosso.ollama.url)");
    }

    private void apply(String name, ConnectionKind kind, String url, String key, String variable) {
        if (url == null) {
            Optional<Connection> removed = writing.execute(status -> {
                Optional<Connection> existing = rows.findByName(name).filter(Connection::fromEnvironment);
                existing.ifPresent(c -> rows.deleteFromEnvironment(name));
                return existing;
            });
            removed.ifPresent(c -> {
                log.info("Removed the connection \"{}\": {} is no longer set.", name, variable);
                catalog.changed(c.id());
            });
            return;
        }
        URI baseUrl = validUrl(url, variable);
        String apiKey = validKey(key);
        Connection applied = writing.execute(status -> {
            Optional<Connection> existing = rows.findByName(name);
            if (existing.isPresent() && unchanged(existing.get(), kind, baseUrl, apiKey)) {
                return null;
            }
            if (existing.isPresent() && existing.get().replacesEnvironment()) {
                log.info("{} is set, but an administrator replaced the connection \"{}\"; theirs is kept.", variable,
                        name);
                return null;
            }
            if (existing.isPresent() && !existing.get().fromEnvironment()) {
                log.warn("The connection \"{}\" that an administrator made is now the one {} declares.", name, variable);
            }
            rows.putFromEnvironment(Ids.next(), kind, name, baseUrl.toString(),
                    apiKey == null ? null : secrets.seal(apiKey), clock.instant());
            return rows.findByName(name).orElseThrow();
        });
        if (applied != null) {
            log.info("Connection \"{}\" ({}) set from {}: {}", name, kind.wire(), variable, baseUrl);
            catalog.changed(applied.id());
        }
    }

    private boolean unchanged(Connection c, ConnectionKind kind, URI baseUrl, String apiKey) {
        if (!c.fromEnvironment() || c.kind() != kind || !c.baseUrl().equals(baseUrl)) {
            return false;
        }
        if (!c.hasApiKey() || apiKey == null) {
            return !c.hasApiKey() && apiKey == null;
        }
        try {
            return Objects.equals(secrets.open(c.sealedApiKey()), apiKey);
        } catch (SecretBox.Unreadable e) {
            return false; // sealed under an earlier secret key: seal it again under this one
        }
    }

    private static URI validUrl(String url, String variable) {
        try {
            return ConnectionInput.baseUrl(url);
        } catch (ErrorResponseException e) {
            throw new IllegalStateException(variable + ": " + e.getBody().getDetail());
        }
    }

    private static String validKey(String key) {
        try {
            return ConnectionInput.apiKey(key);
        } catch (ErrorResponseException e) {
            throw new IllegalStateException("NOSSO_OPENAI_API_KEY (nosso.openai.api-key): " + e.getBody().getDetail());
        }
    }
}
