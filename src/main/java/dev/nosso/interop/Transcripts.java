package dev.nosso.interop;

import dev.nosso.chat.Chat;
import dev.nosso.chat.Chats;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Messages;
import dev.nosso.chat.NewMessage;
import dev.nosso.chat.Usage;
import dev.nosso.platform.Limits;
import dev.nosso.provider.PromptMessage;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps an exchange of the OpenAI-compatible API as a new chat of the key's owner ({@code "store": true}).
 *
 * <p>The request's messages and an empty, {@code pending} answer are committed in one transaction before
 * the model is called, as a turn in a chat is: nothing typed is lost, a request the chat would refuse (a
 * blank user message, say) is refused before the model runs and leaves no half-made chat, and a crash
 * mid-answer leaves the answer {@code interrupted} with its text by the next start. The answer then ends
 * like any other: {@code complete}, {@code cancelled} (the client went away) or {@code error}, its text kept.
 */
@Component
class Transcripts {

    private static final Logger log = LoggerFactory.getLogger(Transcripts.class);
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
            Chat chat = chats.create(owner, title(prompt), null);
            chats.rememberModel(owner, chat.id(), model); // the chat goes on with this model in the web UI
            Message last = null;
            for (PromptMessage m : prompt) {
                last = messages.append(owner, chat.id(),
                        NewMessage.of(MessageRole.fromWire(m.role()), m.content(), null));
            }
            return new Transcript(owner, chat.id(), messages.startAnswer(owner, last.id(), model));
        });
    }

    /**
     * Stores how the answer ended. A failure here is logged, not thrown: the client still gets its answer,
     * and the next start marks the stored one {@code interrupted} with its last text.
     */
    void end(Transcript transcript, String text, MessageStatus status, String error, Usage usage) {
        try {
            messages.finish(transcript.owner(), transcript.answer(), text, status, error, usage);
        } catch (RuntimeException e) {
            log.error("Could not store the end of answer {} in chat {}", transcript.answer().id(),
                    transcript.chatId(), e);
        }
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

    /** A stored exchange: its chat and the answer being written. */
    record Transcript(UUID owner, UUID chatId, Message answer) {
    }
}
