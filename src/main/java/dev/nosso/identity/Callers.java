package dev.nosso.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a presented credential (a session token or an API key) into the {@link Caller} it stands for: one
 * indexed statement joining the user, on a read connection. Recording when a credential was last used is a
 * write, so it happens at most once a minute per credential, decided from the time the lookup already read:
 * not a write per request, which on SQLite would queue every request behind the one writer.
 */
@Component
class Callers {

    static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);

    private final SessionRepository sessions;
    private final ApiKeyRepository apiKeys;
    private final TransactionTemplate reading;
    private final Clock clock;

    Callers(SessionRepository sessions, ApiKeyRepository apiKeys, PlatformTransactionManager transactions,
            Clock clock) {
        this.sessions = sessions;
        this.apiKeys = apiKeys;
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.clock = clock;
    }

    Optional<Caller> bySessionToken(String token) {
        Instant now = clock.instant();
        Optional<CredentialMatch> match = reading.execute(tx -> sessions.caller(Tokens.hash(token), now));
        match.filter(m -> stale(m, now)).ifPresent(m -> sessions.touch(m.id(), now, now.minus(USE_RECORDED_EVERY)));
        return match.map(CredentialMatch::caller);
    }

    Optional<Caller> byApiKey(String key) {
        if (!ApiKeys.looksLikeKey(key)) {
            return Optional.empty(); // not worth a query
        }
        Instant now = clock.instant();
        Optional<CredentialMatch> match = reading.execute(tx -> apiKeys.caller(Tokens.hash(key)));
        match.filter(m -> stale(m, now)).ifPresent(m -> apiKeys.touch(m.id(), now, now.minus(USE_RECORDED_EVERY)));
        return match.map(CredentialMatch::caller);
    }

    private static boolean stale(CredentialMatch match, Instant now) {
        return match.lastUsedAt() == null || !match.lastUsedAt().isAfter(now.minus(USE_RECORDED_EVERY));
    }
}
