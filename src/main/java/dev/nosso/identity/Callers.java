package dev.nosso.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nosso.platform.CacheSettings;
import dev.nosso.platform.cluster.ClusterEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a presented credential (a session token or an API key) into the {@link Caller} it stands for: one
 * indexed statement joining the user, on a read connection, and then from memory. Recording when a credential
 * was last used is a write, so it happens at most once a minute per credential, decided from the time the
 * lookup already read: not a write per request, which on SQLite would queue every request behind the one writer.
 *
 * <p>What a credential stands for is cached ({@code nosso.cache.identity}), and every change that can make a
 * cached answer wrong (signing out, revoking a key, suspending a user or changing their role) clears it on every
 * node through a cluster event, on this node as soon as the change commits. A credential that matches nothing is
 * not cached, so a new key or session works at once. A lookup that raced with such a change is not kept: the
 * cache has a generation, moved by every change, and a result read under an older one is dropped.
 */
@Component
class Callers {

    static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);
    private static final String TOPIC = "identity";
    private static final String USER = "user:";
    private static final String CREDENTIAL = "credential:";

    private final SessionRepository sessions;
    private final ApiKeyRepository apiKeys;
    private final TransactionTemplate reading;
    private final Clock clock;
    private final ClusterEvents events;
    private final Cache<String, CredentialMatch> cache; // by credential digest; null when caching is off
    private final AtomicLong generation = new AtomicLong();

    Callers(SessionRepository sessions, ApiKeyRepository apiKeys, PlatformTransactionManager transactions,
            Clock clock, ClusterEvents events, CacheSettings caches, MeterRegistry meters) {
        this.sessions = sessions;
        this.apiKeys = apiKeys;
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.clock = clock;
        this.events = events;
        if (caches.identity().isPositive()) {
            this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(caches.identity())
                    .recordStats().build();
            CaffeineCacheMetrics.monitor(meters, cache, "nosso.identity.callers");
        } else {
            this.cache = null;
        }
        events.subscribe(TOPIC, this::forgetHere);
    }

    Optional<Caller> bySessionToken(String token) {
        String digest = Tokens.hash(token);
        Instant now = clock.instant();
        return lookUp(digest, now, d -> reading.execute(tx -> sessions.caller(d, now)),
                match -> sessions.touch(match.id(), now, now.minus(USE_RECORDED_EVERY)));
    }

    Optional<Caller> byApiKey(String key) {
        if (!ApiKeys.looksLikeKey(key)) {
            return Optional.empty(); // not worth a query
        }
        Instant now = clock.instant();
        return lookUp(Tokens.hash(key), now, d -> reading.execute(tx -> apiKeys.caller(d)),
                match -> apiKeys.touch(match.id(), now, now.minus(USE_RECORDED_EVERY)));
    }

    /** Forgets, on every node, what the user's credentials stand for: their role or status changed. */
    void forgetUser(UUID userId) {
        events.publish(TOPIC, USER + userId);
    }

    /** Forgets, on every node, what the credential with this digest stands for: it was closed or revoked. */
    void forgetCredential(String digest) {
        events.publish(TOPIC, CREDENTIAL + digest);
    }

    private Optional<Caller> lookUp(String digest, Instant now, Function<String, Optional<CredentialMatch>> query,
                                    Consumer<CredentialMatch> recordUse) {
        CredentialMatch match = cache == null ? null : cache.getIfPresent(digest);
        if (match == null || !match.validAt(now)) {
            long seen = generation.get();
            match = query.apply(digest).orElse(null);
            if (match != null && cache != null) {
                cache.put(digest, match);
                if (generation.get() != seen) {
                    cache.invalidate(digest); // a change came in meanwhile: what was read may be out of date
                }
            }
        }
        if (match == null) {
            return Optional.empty();
        }
        if (stale(match, now)) {
            recordUse.accept(match);
            if (cache != null) {
                CredentialMatch used = match;
                cache.asMap().computeIfPresent(digest, (d, held) -> held == used ? used.usedAt(now) : held);
            }
        }
        return Optional.of(match.caller());
    }

    private void forgetHere(String what) {
        generation.incrementAndGet();
        if (cache == null) {
            return;
        }
        if (what == null) {
            cache.invalidateAll(); // events may have been missed
        } else if (what.startsWith(USER)) {
            UUID userId = UUID.fromString(what.substring(USER.length()));
            cache.asMap().values().removeIf(match -> match.caller().userId().equals(userId));
        } else if (what.startsWith(CREDENTIAL)) {
            cache.invalidate(what.substring(CREDENTIAL.length()));
        }
    }

    private static boolean stale(CredentialMatch match, Instant now) {
        return match.lastUsedAt() == null || !match.lastUsedAt().isAfter(now.minus(USE_RECORDED_EVERY));
    }
}
