package dev.nosso.generation;

import dev.nosso.identity.Suspensions;
import org.springframework.stereotype.Component;

/**
 * Stops, on this node, the answers of an account that lost its access on any node. They end
 * {@code cancelled} with the text they had, as if the user had pressed stop: nothing written is lost, and a
 * suspended account stops spending the providers' capacity. Every stream that follows one of them, here or
 * on another node, then ends as it does for any cancel, so the suspended user's open streams close within
 * moments instead of running on to the answer's end.
 */
@Component
class SuspendedAnswers {

    SuspendedAnswers(Suspensions suspensions, StreamHub hub) {
        suspensions.onAccessEnded(owner -> hub.all().stream()
                .filter(live -> live.owner().equals(owner))
                .forEach(live -> live.cancellation().cancel()));
    }
}
