package dev.nosso.platform.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The job workers.
 *
 * @param workers      jobs run at once by this process; embedding is CPU-bound, so a few at most
 * @param pollInterval the longest an idle worker sleeps without looking at the queue: a job queued on any
 *                     node wakes a worker at once (a cluster event), and a worker that finds none sleeps
 *                     until the next waiting job is due; this only bounds how late a missed event is noticed
 * @param lease        how long a claim holds without a heartbeat; a job whose worker died is taken again
 *                     after this long
 * @param maxAttempts  attempts before a job that keeps failing is marked failed
 * @param retryDelay   wait before the next attempt, multiplied by the attempt number
 * @param keepEnded    how long a done or failed job stays readable ({@code GET /api/v1/jobs/{id}}) before it
 *                     is deleted; every message queues a job, so they must not pile up forever
 */
@ConfigurationProperties("nosso.jobs")
@Validated
public record JobSettings(@Positive @Max(64) int workers, @NotNull Duration pollInterval, @NotNull Duration lease,
                          @Positive int maxAttempts, @NotNull Duration retryDelay, @NotNull Duration keepEnded) {

    public JobSettings {
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("nosso.jobs.lease must be at least 1s, got " + lease);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("nosso.jobs.poll-interval must be positive, got " + pollInterval);
        }
    }
}
