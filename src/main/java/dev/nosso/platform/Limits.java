package dev.nosso.platform;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Sizes the API accepts. A request over a limit gets a 4xx naming the limit, never a 500 and never a
 * silently truncated message.
 *
 * @param maxTitleChars   longest chat or folder title
 * @param maxMessageChars longest message text; longer is 413
 * @param maxRequestBytes largest request body; larger is 413 before it is read
 * @param maxPageSize     largest page a list endpoint returns
 * @param deleteBatch     messages deleted per write when a subtree is deleted: a large subtree goes in several
 *                        short writes, so that SQLite's one writer is never held for seconds
 */
@ConfigurationProperties("nosso.limits")
@Validated
public record Limits(@Positive int maxTitleChars, @Positive int maxMessageChars, @Positive long maxRequestBytes,
                     @Positive @Max(1000) int maxPageSize, @Positive @Max(1_000_000) int deleteBatch) {

    /** A requested page size, defaulted and capped. */
    public int pageSize(Integer requested, int defaultSize) {
        if (requested == null) {
            return Math.min(defaultSize, maxPageSize);
        }
        if (requested < 1) {
            throw new IllegalArgumentException("limit must be at least 1.");
        }
        return Math.min(requested, maxPageSize);
    }
}
