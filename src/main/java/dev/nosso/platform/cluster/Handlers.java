package dev.nosso.platform.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The handlers of each topic, called one after the other; one that throws does not stop the others. */
final class Handlers {

    private static final Logger log = LoggerFactory.getLogger(Handlers.class);

    private final Map<String, List<Consumer<String>>> byTopic = new ConcurrentHashMap<>();

    void add(String topic, Consumer<String> handler) {
        if (topic.isEmpty() || topic.contains("\n")) {
            throw new IllegalArgumentException("A topic is one line of text: \"" + topic + "\"");
        }
        byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    }

    void deliver(String topic, String payload) {
        for (Consumer<String> handler : byTopic.getOrDefault(topic, List.of())) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                log.warn("A handler of cluster event {} failed", topic, e);
            }
        }
    }

    /** Delivers once the current transaction commits (never if it rolls back), or now outside one. */
    void deliverAfterCommit(String topic, String payload) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    deliver(topic, payload);
                }
            });
        } else {
            deliver(topic, payload);
        }
    }

    /** Tells every handler that events may have been missed. */
    void deliverMissed() {
        byTopic.keySet().forEach(topic -> deliver(topic, null));
    }
}
