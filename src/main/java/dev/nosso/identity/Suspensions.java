package dev.nosso.identity;

import dev.nosso.platform.cluster.ClusterEvents;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Tells every node that an account lost its access (suspended, or sent back to pending), once the change
 * commits, so that what the account still has running there stops: its sessions and keys already stop
 * working at the next request, but an answer streaming to it would otherwise run on to its end.
 *
 * <p>The event is a hint that acts at once; {@link #withoutAccess} is the truth it stands for, which a node
 * asks now and then about what it runs, so that an event it missed (its listening connection was broken, it
 * was cut off from Redis or the database) or a change made in the database by hand is acted on all the same,
 * a little later.
 */
@Component
public class Suspensions {

    private static final String TOPIC = "access-ended";
    private static final int IDS_PER_STATEMENT = 500;

    private final ClusterEvents events;
    private final UserRepository users;

    Suspensions(ClusterEvents events, UserRepository users) {
        this.events = events;
        this.users = users;
    }

    /** Within the transaction that ends the access: heard on every node once it commits, never if it rolls back. */
    void announce(UUID userId) {
        events.publish(TOPIC, userId.toString());
    }

    /**
     * Calls {@code handler}, on the thread that delivers events (so it must be quick), with the id of every
     * account that loses its access on any node; and {@code missed} when events may have been missed while
     * this node was not listening (they are not replayed), after which the caller should ask
     * {@link #withoutAccess} about what it runs.
     */
    public void onAccessEnded(Consumer<UUID> handler, Runnable missed) {
        events.subscribe(TOPIC, userId -> {
            if (userId != null) {
                handler.accept(UUID.fromString(userId));
            } else {
                missed.run();
            }
        });
    }

    /**
     * The accounts among {@code accounts} that may no longer use Nosso: suspended, pending, or deleted. One
     * statement for up to {@value #IDS_PER_STATEMENT} accounts, whatever each of them runs.
     */
    public Set<UUID> withoutAccess(Collection<UUID> accounts) {
        Set<UUID> without = new HashSet<>(accounts);
        List<UUID> all = new ArrayList<>(without);
        for (int from = 0; from < all.size(); from += IDS_PER_STATEMENT) {
            without.removeAll(users.withAccess(all.subList(from, Math.min(all.size(), from + IDS_PER_STATEMENT))));
        }
        return without;
    }
}
