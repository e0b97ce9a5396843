package dev.nosso.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A session or API key found by its digest: the caller it stands for, plus what the lookup needs to decide
 * whether to record its use (the row's id and when it was last recorded).
 */
record CredentialMatch(UUID id, Instant lastUsedAt, Caller caller) {
}
