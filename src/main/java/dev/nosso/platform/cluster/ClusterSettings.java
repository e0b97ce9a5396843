package dev.nosso.platform.cluster;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the nodes sharing one database find out about each other.
 *
 * @param heartbeat   how often a node tells the database it is alive ({@code NOSSO_NODE_HEARTBEAT})
 * @param lease       how long a node may stay silent before the others take it for dead and mark the answers
 *                    it was generating {@code interrupted} ({@code NOSSO_NODE_LEASE}); a few heartbeats, so
 *                    that a busy moment (a long garbage collection, a slow disk) is not taken for a death
 * @param redisUrl    {@code redis://host:6379} to share live answers through Redis ({@code NOSSO_REDIS_URL});
 *                    empty for none
 * @param redisPrefix put before every key and channel name, so that several installations can share a Redis
 */
@ConfigurationProperties("nosso.cluster")
@Validated
public record ClusterSettings(@NotNull Duration heartbeat, @NotNull Duration lease, String redisUrl,
                              @NotNull String redisPrefix) {

    public ClusterSettings {
        if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("nosso.cluster.lease (" + lease
                    + ") must be at least two heartbeats (" + heartbeat + ")");
        }
    }
}
