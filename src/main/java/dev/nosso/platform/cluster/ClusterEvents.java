package dev.nosso.platform.cluster;

import java.util.function.Consumer;

/**
 * Short events that every node hears, this one included: "this answer should stop", "the connections
 * changed", "a job is waiting". They are hints to act on at once, not a log: a node that was not listening
 * (starting, or its listening connection broken) misses them, and is told so by a call of each handler with
 * {@code null}, after which it must assume that anything may have changed.
 *
 * <p>On PostgreSQL they go through {@code LISTEN/NOTIFY}: no statement runs while nothing happens, and an event
 * published inside a transaction is heard only once that transaction commits, so a node that hears
 * "changed" and reads finds the change. On SQLite there is one node, and events stay in the process.
 */
public interface ClusterEvents {

    /** The longest payload an event may carry, in characters (PostgreSQL's limit is 8,000 bytes). */
    int MAX_PAYLOAD = 1_000;

    /**
     * Sends {@code payload} to the handlers of {@code topic} on every node. Within a transaction it is sent when
     * that transaction commits (and never if it rolls back).
     */
    void publish(String topic, String payload);

    /**
     * Calls {@code handler} with the payload of every event of {@code topic}, on the one thread that delivers
     * events (so it must be quick, and hand slow work to another thread), or with {@code null} after events may
     * have been missed.
     */
    void subscribe(String topic, Consumer<String> handler);
}
