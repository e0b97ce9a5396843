package dev.nosso.generation;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The answers this process is generating now, by message id. An answer is here from before its ids are
 * handed to the client until after its final message is stored, so a client never finds a gap between the
 * two: either the live answer serves it, or the database has the final text.
 */
@Component
class StreamHub {

    private final Map<UUID, LiveAnswer> live = new ConcurrentHashMap<>();

    void add(LiveAnswer answer) {
        live.put(answer.messageId(), answer);
    }

    Optional<LiveAnswer> find(UUID messageId) {
        return Optional.ofNullable(live.get(messageId));
    }

    void remove(LiveAnswer answer) {
        live.remove(answer.messageId(), answer);
    }

    Collection<LiveAnswer> all() {
        return live.values();
    }

    int size() {
        return live.size();
    }
}
