package dev.nosso.identity;

import dev.nosso.platform.Ids;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts: sign-up under the current policy, password checks for sign-in, and what administrators change
 * (role and status). Hashing a password takes tens of milliseconds, so it always happens outside a write
 * transaction: on SQLite, that transaction holds the one writer every other request waits for.
 */
@Service
class Users {

    // Deliberately loose: one @, something on each side, no spaces. Whether mail arrives is not our check.
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+");
    private static final int MAX_EMAIL_LENGTH = 254;
    private static final int MAX_NAME_LENGTH = 100;

    private final UserRepository users;
    private final SessionRepository sessions;
    private final Callers callers;
    private final Suspensions suspensions;
    private final SignupPolicies policies;
    private final Passwords passwords;
    private final TransactionTemplate reading;
    private final Clock clock;

    Users(UserRepository users, SessionRepository sessions, Callers callers, Suspensions suspensions,
          SignupPolicies policies, Passwords passwords, PlatformTransactionManager transactions, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.callers = callers;
        this.suspensions = suspensions;
        this.policies = policies;
        this.passwords = passwords;
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.clock = clock;
    }

    /** Creates an account with the policy's default role; 403 when sign-up is off, 409 when the email is taken. */
    User signUp(String email, String password, String name) {
        SignupPolicy policy = policies.current();
        if (!policy.signupEnabled()) {
            throw Problems.exception(HttpStatus.FORBIDDEN, "signup-disabled",
                    "Sign-up is turned off on this server; ask an administrator for an account.");
        }
        NewAccount account = prepare(email, password, name);
        return insert(account, Role.fromWire(policy.signupDefaultRole()));
    }

    /** An account checked and with its password hashed, ready to insert. */
    record NewAccount(String email, String name, String passwordHash) {
    }

    /** Checks every field and hashes the password: the slow part, done before any transaction begins. */
    NewAccount prepare(String email, String password, String name) {
        String checkedEmail = normaliseEmail(email);
        String checkedName = InvalidInput.requireName(name, MAX_NAME_LENGTH);
        passwords.checkRule(password);
        return new NewAccount(checkedEmail, checkedName, passwords.hash(password));
    }

    /** Inserts an active account with the given role, joining the caller's transaction if there is one. */
    @Transactional
    User insert(NewAccount account, Role role) {
        UUID id = Ids.next();
        if (!users.insert(id, account.email(), account.name(), account.passwordHash(), role, clock.instant())) {
            throw Problems.exception(HttpStatus.CONFLICT, "email-taken", "An account with this email already exists.");
        }
        return users.find(id).orElseThrow();
    }

    /**
     * The account these credentials belong to, if the password is right. Unknown emails cost the same time
     * as known ones, so the answer's timing does not tell which emails have accounts. A suspended account
     * may be found: the session it would get is refused on every request anyway.
     */
    Optional<User> authenticate(String email, String password) {
        String normalised = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        Optional<UserRepository.WithPassword> found = reading.execute(tx -> users.findWithPassword(normalised));
        if (found.isEmpty()) {
            passwords.matchDecoy(password);
            return Optional.empty();
        }
        return passwords.matches(password, found.get().passwordHash()) ? Optional.of(found.get().user())
                : Optional.empty();
    }

    @Transactional(readOnly = true)
    User get(UUID id) {
        return users.find(id).orElseThrow(() -> new NotFound("user"));
    }

    @Transactional(readOnly = true)
    List<User> list(UUID before, Status status, Role role, int limit) {
        return users.list(before, status, role, limit);
    }

    /**
     * Changes an account's role and status (null keeps the current one). Suspending ends the account's
     * sessions in the same transaction. The last active administrator can be neither demoted nor suspended:
     * nobody could then manage the server short of editing the database.
     */
    @Transactional
    User changeAccess(UUID id, Role role, Status status) {
        User user = users.find(id).orElseThrow(() -> new NotFound("user"));
        Role newRole = role == null ? user.roleValue() : role;
        Status newStatus = status == null ? Status.fromWire(user.status()) : status;
        boolean staysActiveAdmin = newRole == Role.ADMIN && newStatus == Status.ACTIVE;
        if (user.isActiveAdmin() && !staysActiveAdmin
                && users.lockActiveAdmins().stream().allMatch(id::equals)) {
            throw Problems.exception(HttpStatus.CONFLICT, "last-admin",
                    "This is the last active administrator; promote someone else first.");
        }
        users.updateAccess(id, newRole, newStatus, clock.instant());
        if (newStatus == Status.SUSPENDED) {
            sessions.deleteAllOf(id);
        }
        callers.forgetUser(id);
        if (newStatus == Status.SUSPENDED || newRole == Role.PENDING) {
            suspensions.announce(id);
        }
        return users.find(id).orElseThrow();
    }

    static String normaliseEmail(String email) {
        String normalised = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (normalised.isEmpty()) {
            throw new InvalidInput("email", "is required.");
        }
        if (normalised.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(normalised).matches()
                || normalised.indexOf('\0') >= 0) {
            throw new InvalidInput("email", "is not a valid email address.");
        }
        return normalised;
    }
}
