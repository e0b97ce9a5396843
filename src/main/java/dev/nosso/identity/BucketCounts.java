package dev.nosso.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Counts as bucket4j token buckets: a key's bucket holds its allowed attempts and is filled up again once per
 * window, counted from the bucket's first attempt. Where the buckets live is the subclass's choice.
 */
abstract class BucketCounts implements ThrottleCounts {

    private final Duration window;

    BucketCounts(Duration window) {
        this.window = window;
    }

    /** The bucket of {@code key}, made with {@link #limit} the first time. */
    abstract Bucket bucket(String key, int allowed);

    final Bandwidth limit(int allowed) {
        return Bandwidth.builder().capacity(allowed).refillIntervally(allowed, window).build();
    }

    final Duration window() {
        return window;
    }

    @Override
    public Verdict take(String key, int allowed) {
        ConsumptionProbe probe = bucket(key, allowed).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Verdict.ALLOWED
                : new Verdict(false, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    @Override
    public void giveBack(String key, int allowed) {
        bucket(key, allowed).addTokens(1);
    }

    @Override
    public void reset(String key, int allowed) {
        bucket(key, allowed).reset();
    }
}
