package dev.nosso.platform.cluster;

import java.util.function.Consumer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The events of a single node (SQLite): delivered in the process, after the publishing transaction commits. */
final class LocalEvents implements ClusterEvents {

    private final Handlers handlers = new Handlers();

    @Override
    public void publish(String topic, String payload) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    handlers.deliver(topic, payload);
                }
            });
        } else {
            handlers.deliver(topic, payload);
        }
    }

    @Override
    public void subscribe(String topic, Consumer<String> handler) {
        handlers.add(topic, handler);
    }
}
