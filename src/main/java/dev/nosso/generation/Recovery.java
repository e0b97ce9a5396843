package dev.nosso.generation;

import dev.nosso.chat.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * At start-up, before the server takes a request, marks every answer a dead process left {@code pending}
 * or {@code streaming} as {@code interrupted}, with the text of its last checkpoint. Nosso runs one
 * generating process per database, so at this moment no such answer can be alive.
 */
@Component
class Recovery implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    static final String REASON = "The server stopped while this answer was being written.";

    private final Messages messages;

    Recovery(Messages messages) {
        this.messages = messages;
    }

    @Override
    public void afterSingletonsInstantiated() {
        int interrupted = messages.interruptUnfinished(REASON);
        if (interrupted > 0) {
            log.warn("{} answers were left unfinished by the last run; they are marked interrupted", interrupted);
        }
    }
}
