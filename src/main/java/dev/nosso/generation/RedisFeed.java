package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.platform.cluster.Redis;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer another node generates, read live from its Redis stream ({@link RedisAnswers}). It starts from the
 * answer's checkpointed text and the stream's first entry; a piece wholly known already is skipped, and a gap
 * (entries lost, say, when Redis restarted) is filled from the database. The database also says how the answer
 * ended: once the stream says so, or when the stream has been silent for a second (its node may have died, and
 * then a survivor marks the answer interrupted). If Redis fails, the answer is followed through its
 * checkpoints, at the same offsets.
 *
 * <p>A blocking read holds a Redis connection, so each feed has its own, closed with the feed.
 */
final class RedisFeed implements AnswerFeed {

    private static final Logger log = LoggerFactory.getLogger(RedisFeed.class);
    private static final Duration SLICE = Duration.ofSeconds(1);
    private static final int BATCH = 1_000;

    private final Redis redis;
    private final String key;
    private final CheckpointFeed checkpoints;
    private final StringBuilder text;
    private StatefulRedisConnection<String, String> connection;
    private String lastId = "0-0";
    private Message finished;
    private boolean redisFailed;

    RedisFeed(Redis redis, String key, CheckpointFeed checkpoints, Message current) {
        this.redis = redis;
        this.key = key;
        this.checkpoints = checkpoints;
        this.text = new StringBuilder(current.content());
    }

    @Override
    public Read readFrom(int offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (redisFailed) {
                return checkpoints.readFrom(offset, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            if (finished != null || text.length() > offset) {
                int from = Math.min(offset, text.length());
                return new Read(text.substring(from), Math.max(offset, text.length()), finished);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Read("", offset, null);
            }
            try {
                boolean ended = readStream(Duration.ofNanos(Math.min(left, SLICE.toNanos())));
                if (ended || text.length() <= offset) {
                    // The end, a gap, or a silent second: the database says where the answer stands.
                    catchUp(checkpoints.readFrom(text.length(), Duration.ZERO));
                }
            } catch (RedisException e) {
                log.warn("Lost Redis while following an answer; following its checkpoints instead", e);
                redisFailed = true;
            }
        }
    }

    /** Reads what the stream has after the last entry read, waiting up to {@code wait}; true at its end. */
    private boolean readStream(Duration wait) {
        if (connection == null) {
            connection = redis.connect();
        }
        List<StreamMessage<String, String>> entries = connection.sync().xread(
                XReadArgs.Builder.block(Math.max(1, wait.toMillis())).count(BATCH),
                XReadArgs.StreamOffset.from(key, lastId));
        boolean ended = false;
        boolean gap = false;
        for (StreamMessage<String, String> entry : entries) {
            lastId = entry.getId();
            Map<String, String> body = entry.getBody();
            if (body.containsKey("end")) {
                ended = true;
                continue;
            }
            String delta = body.get("d");
            int end = Integer.parseInt(body.get("o"));
            int start = end - delta.length();
            if (start > text.length()) {
                gap = true;
            } else if (end > text.length()) {
                text.append(delta, text.length() - start, delta.length());
            }
        }
        return ended || gap;
    }

    /** Takes what the database has beyond the text known here, and its end when it has ended. */
    private void catchUp(Read stored) {
        text.append(stored.text());
        if (stored.finished() != null) {
            finished = stored.finished();
            text.setLength(0);
            text.append(finished.content()); // the stored text is the answer's, whatever was streamed
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
