package dev.nosso.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A session or API key found by its digest: the caller it stands for, plus what the lookup needs to decide
 * whether to record its use (the row's id and when it was last recorded), and when a session expires (null
 * for an API key, which does not).
 */
record CredentialMatch(UUID id, Instant lastUsedAt, Instant expiresAt, Caller caller) {

    CredentialMatch usedAt(Instant now) {
        return new CredentialMatch(id, now, expiresAt, caller);
    }

    boolean validAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }
}
