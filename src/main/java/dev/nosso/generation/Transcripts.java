package dev.nosso.generation;

import dev.nosso.chat.Chat;
import dev.nosso.chat.Chats;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.Messages;
import dev.nosso.chat.NewMessage;
import dev.nosso.platform.Limits;
import dev.nosso.provider.PromptMessage;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps an exchange of the OpenAI-compatible API as a new chat of the key's owner ({@code "store": true}).
 *
 * <p>The request's messages and an empty, {@code pending} answer are committed in one transaction before
 * the model is called, as a turn in a chat is: nothing typed is lost, and a request the chat would refuse (a
 * blank user message, say) is refused before the model runs and leaves no half-made chat. The answer is then
 * a turn like any other: checkpointed while it streams, {@code interrupted} with its text after a crash.
 */
@Component
class Transcripts {

    private static final int TITLE_CHARS = 60;

    private final Chats chats;
    private final Messages messages;
    private final Limits limits;
    private final TransactionTemplate writing;

    Transcripts(Chats chats, Messages messages, Limits limits, PlatformTransactionManager transactions) {
        this.chats = chats;
        this.messages = messages;
        this.limits = limits;
        this.writing = new TransactionTemplate(transactions);
    }

    /** A chat holding {@code prompt}, in order, and an empty answer under it by {@code model}. */
    Transcript begin(UUID owner, List<PromptMessage> prompt, String model) {
        return writing.execute(status -> {
            // The chat goes on with this model in the web UI.
            Chat chat = chats.create(owner, title(prompt), null, model);
            Message last = null;
            for (PromptMessage m : prompt) {
                last = messages.append(owner, chat.id(),
                        NewMessage.of(MessageRole.fromWire(m.role()), m.content(), null));
            }
            return new Transcript(chat, last, messages.startAnswer(owner, last.id(), model));
        });
    }

    /** The first user message, on one line and cut short; the default title when there is none. */
    private String title(List<PromptMessage> prompt) {
        String first = prompt.stream().filter(m -> m.role().equals("user")).map(PromptMessage::content)
                .map(c -> c.strip().replaceAll("\\s+", " ")).filter(c -> !c.isEmpty()).findFirst().orElse(null);
        int max = Math.min(TITLE_CHARS, limits.maxTitleChars());
        if (first == null || first.length() <= max) {
            return first;
        }
        return first.substring(0, max - 1).strip() + "…";
    }

    /** A stored exchange: its chat, its last message and the answer under it. */
    record Transcript(Chat chat, Message question, Message answer) {
    }
}
