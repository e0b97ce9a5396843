package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.chat.Messages;
import dev.nosso.platform.cluster.Redis;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Answers shared live through Redis, when the nodes have one: the node that generates an answer appends each
 * piece of its text to a Redis stream of that answer ({@code XADD}, without waiting), and any other node
 * follows it from there ({@link RedisFeed}), token by token. Each entry carries the offset after its piece, so
 * a reader always knows where a piece goes, even after a gap. The stream is kept an hour at most while the
 * answer runs and two minutes after its end; the database keeps the answer itself.
 */
@Component
class RedisAnswers {

    private static final Logger log = LoggerFactory.getLogger(RedisAnswers.class);
    static final Duration KEEP_WHILE_GENERATING = Duration.ofHours(1);
    static final Duration KEEP_AFTER_END = Duration.ofMinutes(2);

    private final Redis redis;
    private final Messages messages;
    private final GenerationSettings settings;
    private final AtomicBoolean failing = new AtomicBoolean();

    RedisAnswers(Redis redis, Messages messages, GenerationSettings settings) {
        this.redis = redis;
        this.messages = messages;
        this.settings = settings;
    }

    boolean enabled() {
        return redis.configured();
    }

    /** Shares a piece of an answer's text; {@code end} is the length of the text after it. */
    void appended(UUID messageId, String delta, int end) {
        if (!redis.configured() || delta.isEmpty()) {
            return;
        }
        String key = key(messageId);
        RedisAsyncCommands<String, String> commands = redis.async();
        commands.xadd(key, Map.of("d", delta, "o", Integer.toString(end))).whenComplete(this::report);
        if (end == delta.length()) { // the first piece created the stream
            commands.expire(key, KEEP_WHILE_GENERATING.toSeconds());
        }
    }

    /** Tells the followers that the answer has ended; they read how from the database, which has it now. */
    void ended(UUID messageId) {
        if (!redis.configured()) {
            return;
        }
        String key = key(messageId);
        RedisAsyncCommands<String, String> commands = redis.async();
        commands.xadd(key, Map.of("end", "1")).whenComplete(this::report);
        commands.expire(key, KEEP_AFTER_END.toSeconds());
    }

    /** Follows an answer that another node generates, starting from what the database has of it. */
    AnswerFeed follow(UUID owner, Message current) {
        return new RedisFeed(redis, key(current.id()),
                new CheckpointFeed(messages, owner, current, settings.checkpointInterval()), current);
    }

    String key(UUID messageId) {
        return redis.key("answer", messageId.toString());
    }

    private void report(Object result, Throwable failure) {
        if (failure == null) {
            if (failing.compareAndSet(true, false)) {
                log.info("Sharing answers through Redis again");
            }
        } else if (failing.compareAndSet(false, true)) {
            log.warn("Cannot share answers through Redis; other nodes follow them from checkpoints meanwhile", failure);
        }
    }
}
