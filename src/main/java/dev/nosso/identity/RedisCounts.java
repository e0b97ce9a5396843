package dev.nosso.identity;

import dev.nosso.platform.cluster.Redis;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;

/**
 * The counts of nodes that share a Redis: bucket4j's buckets stored there ({@code <prefix>throttle:<key>}),
 * each changed by compare-and-swap, so that attempts on any node count against the same bucket. A key
 * expires once its bucket would be full again, since a full bucket and a missing one are the same.
 */
final class RedisCounts extends BucketCounts implements AutoCloseable {

    private final Redis redis;
    // A connection of its own: bucket4j keeps its state as bytes, where the shared connection speaks text.
    private final StatefulRedisConnection<String, byte[]> connection;
    private final LettuceBasedProxyManager<String> buckets;

    RedisCounts(Redis redis, Duration window) {
        super(window);
        this.redis = redis;
        this.connection = redis.client().connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
                .build();
    }

    @Override
    Bucket bucket(String key, int allowed) {
        return buckets.builder().build(redis.key("throttle", key),
                () -> BucketConfiguration.builder().addLimit(limit(allowed)).build());
    }

    @Override
    public void close() {
        connection.close();
    }
}
