package dev.nosso.transfer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Imports of conversations.
 *
 * @param maxBytes         the largest file an import takes (a zip counts as uploaded)
 * @param maxUnzippedBytes the most a zip may unpack to, across the entries read: a zip bomb stops here
 * @param maxZipEntries    the most entries a zip may hold
 * @param batch            messages of a conversation written per transaction: a long conversation commits in
 *                         several short writes, so SQLite's one writer is never held for long
 */
@ConfigurationProperties("nosso.imports")
@Validated
record TransferSettings(@Positive long maxBytes, @Positive long maxUnzippedBytes, @Positive int maxZipEntries,
                        @Positive @Max(100_000) int batch) {
}
