package dev.nosso.identity;

import dev.nosso.identity.ThrottleCounts.Verdict;
import dev.nosso.platform.Problems;
import dev.nosso.platform.cluster.ClusterEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/**
 * Per-user limits, so that one user cannot take the server from the others: answers running at once,
 * messages per minute, bytes uploaded per day. Each refusal is 429 with {@code Retry-After} and a problem type
 * of its own. The modules that do the work count it ({@code generation} its running answers, {@code knowledge}
 * its uploads) and ask here; messages are counted here, in the same {@link ThrottleCounts} as sign-ins (Redis,
 * PostgreSQL or this process), so a minute's messages count on every node.
 *
 * <p>The limits in force are kept in memory and read again after an administrator changes them on any node
 * (a cluster event), so asking costs no statement.
 */
public class Quotas implements AutoCloseable {

    static final String RUNNING_ANSWERS = "quotas.running-answers";
    static final String MESSAGES_PER_MINUTE = "quotas.messages-per-minute";
    static final String UPLOAD_BYTES_PER_DAY = "quotas.upload-bytes-per-day";
    static final Duration MINUTE = Duration.ofMinutes(1);
    /** The upload limit's period: any 24 hours, not a calendar day, so it means the same in every time zone. */
    public static final Duration DAY = Duration.ofDays(1);
    private static final String CHANGED = "quotas-changed";
    // An answer takes seconds to a few minutes: a client told to wait this long finds a place soon after one ends.
    private static final Duration RUNNING_ANSWER_WAIT = Duration.ofSeconds(5);

    private final ThrottleCounts messages;
    private final SettingRepository settings;
    private final QuotaSettings defaults;
    private final ClusterEvents events;
    private final Clock clock;
    private volatile Quota current;

    Quotas(ThrottleCounts messages, SettingRepository settings, QuotaSettings defaults, ClusterEvents events,
           Clock clock) {
        this.messages = messages;
        this.settings = settings;
        this.defaults = defaults;
        this.events = events;
        this.clock = clock;
        events.subscribe(CHANGED, payload -> current = null);
    }

    /** The limits in force. */
    public Quota current() {
        Quota quota = current;
        if (quota == null) {
            quota = read();
            current = quota;
        }
        return quota;
    }

    /**
     * Changes the limits given (null leaves one as it is; 0 is unlimited) and returns those now in force, on
     * every node once the change commits.
     */
    @Transactional
    public Quota change(Integer runningAnswers, Integer messagesPerMinute, Long uploadBytesPerDay) {
        check(runningAnswers, messagesPerMinute, uploadBytesPerDay);
        Instant now = clock.instant();
        put(RUNNING_ANSWERS, runningAnswers, now);
        put(MESSAGES_PER_MINUTE, messagesPerMinute, now);
        put(UPLOAD_BYTES_PER_DAY, uploadBytesPerDay, now);
        events.publish(CHANGED, "");
        current = null;
        return read();
    }

    /** Counts one message of the user's, or throws 429 {@code too-many-messages} when the minute's are used up. */
    public void countMessage(UUID user) {
        int allowed = current().messagesPerMinutePerUser();
        if (allowed == 0) {
            return;
        }
        Verdict verdict = messages.take("messages:" + user, allowed);
        if (!verdict.allowed()) {
            throw refused(verdict.retryAfter(), "too-many-messages", "Too many messages", "You sent " + allowed
                    + " messages in the last minute, the most allowed");
        }
    }

    /**
     * Throws 429 {@code too-many-running-answers} when the user already has as many answers running as allowed;
     * {@code running} is asked only when there is a limit.
     */
    public void checkRunningAnswers(IntSupplier running) {
        int allowed = current().runningAnswersPerUser();
        if (allowed > 0 && running.getAsInt() >= allowed) {
            throw tooManyRunningAnswers();
        }
    }

    /** The 429 {@code too-many-running-answers}, for a caller that counted the running answers itself. */
    public ErrorResponseException tooManyRunningAnswers() {
        return refused(RUNNING_ANSWER_WAIT, "too-many-running-answers", "Too many answers running", "You have "
                + current().runningAnswersPerUser() + " answers running, the most allowed at once; wait for one to "
                + "end or stop one");
    }

    /**
     * Throws 429 {@code upload-quota-exceeded} when {@code size} more bytes would take the user past the day's
     * limit.
     *
     * @param usedBytes what the user uploaded in the last 24 hours
     * @param oldest    when the oldest of those uploads was made (null when none): the day's bytes begin to
     *                  free up 24 hours after it
     */
    public void checkUpload(long size, long usedBytes, Instant oldest) {
        long allowed = current().uploadBytesPerDayPerUser();
        if (allowed == 0 || usedBytes + size <= allowed) {
            return;
        }
        Instant now = clock.instant();
        Duration wait = size > allowed || oldest == null ? DAY : Duration.between(now, oldest.plus(DAY));
        throw refused(wait, "upload-quota-exceeded", "Upload limit reached", "This upload of " + size + " bytes would take you past the "
                + allowed + " bytes a user may upload in 24 hours (" + usedBytes + " used)");
    }

    @Override
    public void close() throws Exception {
        if (messages instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private Quota read() {
        Map<String, String> stored = settings.findAll(List.of(RUNNING_ANSWERS, MESSAGES_PER_MINUTE,
                UPLOAD_BYTES_PER_DAY));
        return new Quota(
                stored.containsKey(RUNNING_ANSWERS) ? Integer.parseInt(stored.get(RUNNING_ANSWERS)) : defaults.runningAnswers(),
                stored.containsKey(MESSAGES_PER_MINUTE) ? Integer.parseInt(stored.get(MESSAGES_PER_MINUTE))
                        : defaults.messagesPerMinute(),
                stored.containsKey(UPLOAD_BYTES_PER_DAY) ? Long.parseLong(stored.get(UPLOAD_BYTES_PER_DAY))
                        : defaults.uploadBytesPerDay());
    }

    /** Throws 400 for a limit below 0; null (unchanged) and 0 (unlimited) are fine. */
    static void check(Integer runningAnswers, Integer messagesPerMinute, Long uploadBytesPerDay) {
        check("runningAnswersPerUser", runningAnswers);
        check("messagesPerMinutePerUser", messagesPerMinute);
        check("uploadBytesPerDayPerUser", uploadBytesPerDay);
    }

    private static void check(String field, Number value) {
        if (value != null && value.longValue() < 0) {
            throw new InvalidInput(field, "must be 0 (unlimited) or more.");
        }
    }

    private void put(String name, Number value, Instant now) {
        if (value != null) {
            settings.put(name, value.toString(), now);
        }
    }

    private static ErrorResponseException refused(Duration wait, String slug, String title, String what) {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
        ErrorResponseException e = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, slug,
                what + "; try again in " + seconds + " seconds.");
        e.getBody().setTitle(title);
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return e;
    }
}
