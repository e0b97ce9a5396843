package dev.nosso.platform.cluster;

import java.util.function.Consumer;

/** The events of a single node (SQLite): delivered in the process, after the publishing transaction commits. */
final class LocalEvents implements ClusterEvents {

    private final Handlers handlers = new Handlers();

    @Override
    public void publish(String topic, String payload) {
        handlers.deliverAfterCommit(topic, payload == null ? "" : payload); // null is kept for "missed"
    }

    @Override
    public void subscribe(String topic, Consumer<String> handler) {
        handlers.add(topic, handler);
    }
}
