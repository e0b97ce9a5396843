package dev.nosso.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * The counts of a node that is alone (SQLite): buckets in this process's memory, forgotten by a restart. The
 * cache is bounded, so a flood of made-up emails cannot exhaust memory; a bucket unused for a window is full
 * again anyway, so dropping it loses nothing.
 */
final class MemoryCounts extends BucketCounts {

    private final Cache<String, Bucket> buckets;

    MemoryCounts(Duration window) {
        super(window);
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window).build();
    }

    @Override
    Bucket bucket(String key, int allowed) {
        return buckets.get(key, k -> Bucket.builder().addLimit(limit(allowed)).build());
    }
}
