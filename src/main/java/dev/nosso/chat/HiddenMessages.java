package dev.nosso.chat;

import dev.nosso.retrieval.HiddenSources;
import dev.nosso.retrieval.SourceKind;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Tells searches of memory which remembered messages are being deleted (alone or with their chat): their
 * passages are dropped at once, though {@link SweepDeleted} removes their chunks later, a batch at a time.
 */
@Component
class HiddenMessages implements HiddenSources {

    private final MessageRepository messages;

    HiddenMessages(MessageRepository messages) {
        this.messages = messages;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.MESSAGE;
    }

    @Override
    public Set<UUID> hidden(UUID owner, Collection<UUID> sourceIds) {
        return messages.hiddenAmong(owner, sourceIds);
    }
}
