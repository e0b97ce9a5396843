package dev.nosso.platform.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The Redis that the nodes share, when {@code NOSSO_REDIS_URL} names one; otherwise {@link #configured()} is
 * false and nothing here may be used. One connection serves every command of the process: Lettuce's
 * connections are thread-safe and pipeline what many threads send at once. A blocking read (which would hold
 * that connection) gets a connection of its own from {@link #connect()}.
 *
 * <p>Every key is named through {@link #key}, under {@code nosso.cluster.redis-prefix}.
 */
@Component
public class Redis implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Redis.class);

    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;

    Redis(ClusterSettings settings) {
        this.prefix = settings.redisPrefix();
        if (StringUtils.hasText(settings.redisUrl())) {
            this.client = RedisClient.create(RedisURI.create(settings.redisUrl().trim()));
            this.shared = client.connect();
            log.info("Sharing live answers through Redis at {}", redactedUrl(settings.redisUrl()));
        } else {
            this.client = null;
            this.shared = null;
        }
    }

    public boolean configured() {
        return client != null;
    }

    /** The Redis client, for libraries that take one (bucket4j's Lettuce integration). */
    public RedisClient client() {
        requireConfigured();
        return client;
    }

    /** Commands on the shared connection: each call waits for its answer. */
    public RedisCommands<String, String> sync() {
        requireConfigured();
        return shared.sync();
    }

    /** Commands on the shared connection that do not wait: the answer is a future. */
    public RedisAsyncCommands<String, String> async() {
        requireConfigured();
        return shared.async();
    }

    /** A connection of the caller's own, for blocking reads; the caller closes it. */
    public StatefulRedisConnection<String, String> connect() {
        requireConfigured();
        return client.connect();
    }

    /** The name of a key (or channel) of this installation: the prefix, then {@code parts} joined by ':'. */
    public String key(String... parts) {
        return prefix + String.join(":", parts);
    }

    private void requireConfigured() {
        if (client == null) {
            throw new IllegalStateException("Redis is not configured (NOSSO_REDIS_URL)");
        }
    }

    private static String redactedUrl(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void destroy() {
        if (client != null) {
            shared.close();
            client.shutdown();
        }
    }
}
