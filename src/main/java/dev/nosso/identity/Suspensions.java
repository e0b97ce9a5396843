package dev.nosso.identity;

import dev.nosso.platform.cluster.ClusterEvents;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Tells every node that an account lost its access (suspended, or sent back to pending), once the change
 * commits, so that what the account still has running there stops: its sessions and keys already stop
 * working at the next request, but an answer streaming to it would otherwise run on to its end.
 */
@Component
public class Suspensions {

    private static final String TOPIC = "access-ended";

    private final ClusterEvents events;

    Suspensions(ClusterEvents events) {
        this.events = events;
    }

    /** Within the transaction that ends the access: heard on every node once it commits, never if it rolls back. */
    void announce(UUID userId) {
        events.publish(TOPIC, userId.toString());
    }

    /**
     * Calls {@code handler}, on the thread that delivers events (so it must be quick), with the id of every
     * account that loses its access on any node. An event missed while this node was not listening is not
     * replayed: that account's requests are refused all the same, only what was already running runs on.
     */
    public void onAccessEnded(Consumer<UUID> handler) {
        events.subscribe(TOPIC, userId -> {
            if (userId != null) {
                handler.accept(UUID.fromString(userId));
            }
        });
    }
}
