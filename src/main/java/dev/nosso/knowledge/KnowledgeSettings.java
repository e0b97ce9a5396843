package dev.nosso.knowledge;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on uploaded files, so that a large or hostile file gets a clear answer instead of the server's memory.
 *
 * @param maxFileBytes      largest file accepted; larger is 413 {@code file-too-large}
 * @param parseTimeout      longest time spent extracting a file's text; longer fails its ingestion
 * @param maxExtractedChars most characters of text kept from one file; the rest is not indexed
 * @param parseMemory       the heap of each parser process: a file that needs more to be read fails
 * @param parseProcesses    parser processes at most at once (each up to {@code parseMemory})
 */
@ConfigurationProperties("nosso.knowledge")
@Validated
record KnowledgeSettings(@Positive long maxFileBytes, @NotNull Duration parseTimeout, @Positive int maxExtractedChars,
                         @NotNull DataSize parseMemory, @Positive int parseProcesses) {
}
