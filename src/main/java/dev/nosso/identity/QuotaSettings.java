package dev.nosso.identity;

import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What one user may use, until an administrator changes it ({@code PATCH /api/v1/admin/settings}); 0 is
 * unlimited. The defaults are generous: they stop a runaway script, not a person.
 *
 * @param runningAnswers     answers one user may have running at once, stored or not
 * @param messagesPerMinute  messages one user may send per minute (each message sent to a chat, each
 *                           completion of the OpenAI-compatible API, each answer asked again)
 * @param uploadBytesPerDay  bytes one user may upload in any 24 hours (the same bytes again cost nothing)
 */
@ConfigurationProperties("nosso.quotas")
@Validated
record QuotaSettings(@PositiveOrZero int runningAnswers, @PositiveOrZero int messagesPerMinute,
                     @PositiveOrZero long uploadBytesPerDay) {
}
