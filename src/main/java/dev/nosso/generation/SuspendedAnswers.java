package dev.nosso.generation;

import dev.nosso.identity.Suspensions;
import dev.nosso.platform.DatabaseOutage;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Stops, on this node, the answers of an account that lost its access on any node. They end
 * {@code cancelled} with the text they had, as if the user had pressed stop: nothing written is lost, and a
 * suspended account stops spending the providers' capacity. Every stream that follows one of them, here or
 * on another node, then ends as it does for any cancel, so the suspended user's open streams close within
 * moments instead of running on to the answer's end.
 *
 * <p>The cluster event stops them at once. Because an event can be missed (a node cut off from Redis or the
 * database while it was sent), the owners of the answers running here are also checked against the users
 * table every {@code nosso.generation.access-check}, in one statement for all of them, and at once when the
 * events are heard again after a gap: a missed suspension stops its answers within that period. An idle
 * node sends nothing.
 */
@Component
class SuspendedAnswers implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SuspendedAnswers.class);

    private final Suspensions suspensions;
    private final StreamHub hub;
    private final GenerationSettings settings;
    private final DatabaseOutage outage;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("access-check").daemon().factory());

    SuspendedAnswers(Suspensions suspensions, StreamHub hub, GenerationSettings settings, DatabaseOutage outage) {
        this.suspensions = suspensions;
        this.hub = hub;
        this.settings = settings;
        this.outage = outage;
        suspensions.onAccessEnded(this::stop, () -> timer.execute(this::check));
    }

    @Override
    public void afterPropertiesSet() {
        long every = settings.accessCheck().toMillis();
        timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    private void stop(UUID owner) {
        hub.all().stream().filter(live -> live.owner().equals(owner)).forEach(live -> live.cancellation().cancel());
    }

    /** Stops the answers running here whose owners have lost their access, whether or not this node heard it. */
    void check() {
        try {
            Set<UUID> owners = hub.all().stream().filter(live -> live.finished() == null
                    && !live.cancellation().isCancelled()).map(LiveAnswer::owner).collect(Collectors.toSet());
            if (owners.isEmpty()) {
                return;
            }
            Set<UUID> without = suspensions.withoutAccess(owners);
            for (UUID owner : without) {
                log.info("Stopping the answers of account {}, which has lost its access",
                        owner);
                stop(owner);
            }
        } catch (RuntimeException e) {
            if (!outage.noted(e, "The check of running answers' owners")) {
                log.warn("Could not check the owners of the running answers; trying again in {}",
                        settings.accessCheck(), e);
            }
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
