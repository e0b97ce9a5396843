package dev.nosso.identity;

/**
 * What one user may use; 0 is unlimited. Stored in {@code settings} once an administrator changes it; until
 * then the configuration's values apply ({@link QuotaSettings}).
 *
 * @param runningAnswersPerUser     answers running at once
 * @param messagesPerMinutePerUser  messages sent per minute
 * @param uploadBytesPerDayPerUser  bytes uploaded in any 24 hours
 */
public record Quota(int runningAnswersPerUser, int messagesPerMinutePerUser, long uploadBytesPerDayPerUser) {
}
