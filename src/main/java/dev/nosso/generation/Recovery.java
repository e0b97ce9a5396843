package dev.nosso.generation;

import dev.nosso.chat.Messages;
import dev.nosso.platform.cluster.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Marks {@code interrupted}, with the text of its last checkpoint, every answer whose generating process died.
 *
 * <p>On SQLite there is one node: at start-up, before the server takes a request, every answer left
 * {@code pending} or {@code streaming} was left by a dead process. On PostgreSQL other nodes may be generating
 * answers right now, so only the answers of nodes that are gone or silent beyond the lease are interrupted:
 * at start-up, and by any surviving node within a heartbeat of a node's lease running out.
 */
@Component
class Recovery implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    static final String REASON = "The server stopped while this answer was being written.";

    private final Messages messages;
    private final Node node;

    Recovery(Messages messages, Node node) {
        this.messages = messages;
        this.node = node;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (node.alone()) {
            report(messages.interruptUnfinished(REASON), "by the last run");
        } else {
            interruptOrphaned();
            node.whenNodesLost(this::interruptOrphaned);
        }
    }

    private void interruptOrphaned() {
        report(messages.interruptOrphaned(REASON, node.lease()), "by nodes that are gone");
    }

    private static void report(int interrupted, String how) {
        if (interrupted > 0) {
            log.warn("{} answers were left unfinished {}; they are marked interrupted", interrupted, how);
        }
    }
}
