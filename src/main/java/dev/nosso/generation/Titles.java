package dev.nosso.generation;

import dev.nosso.chat.Chats;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.Messages;
import dev.nosso.provider.Cancellation;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.LanguageModels;
import dev.nosso.provider.Model;
import dev.nosso.provider.PromptMessage;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Names a new chat after its first exchange, by asking the chat's own model. Best effort: a failure leaves
 * the default title, and a title the user gave meanwhile is never replaced.
 */
@Component
class Titles {

    private static final Logger log = LoggerFactory.getLogger(Titles.class);
    private static final int EXCERPT = 1_000;
    static final String INSTRUCTION = "Write a title of at most six words for the conversation below, in its "
            + "language. Answer with the title alone: no quotes, no punctuation at the end.";

    private final Chats chats;
    private final Messages messages;
    private final LanguageModels models;

    Titles(Chats chats, Messages messages, LanguageModels models) {
        this.chats = chats;
        this.messages = messages;
        this.models = models;
    }

    void write(UUID owner, UUID chatId, Model model, UUID questionId, String answer) {
        try {
            Message question = messages.find(owner, questionId);
            if (question.role() != MessageRole.USER) {
                return;
            }
            String conversation = "User: " + excerpt(question.content()) + "\n\nAssistant: " + excerpt(answer);
            StringBuilder title = new StringBuilder();
            models.stream(new CompletionRequest(model.id(), List.of(new PromptMessage("system", INSTRUCTION),
                    new PromptMessage("user", conversation)), 0.2, 30), title::append, new Cancellation());
            String cleaned = clean(title.toString());
            if (!cleaned.isEmpty()) {
                chats.retitle(owner, chatId, cleaned);
            }
        } catch (RuntimeException e) {
            log.info("No title for chat {}: {}", chatId, e.getMessage());
        }
    }

    private static String decoration(String line) {
        return line.replaceAll("^[#*_\"'“”«»`\\s]+|[*_\"'“”«»`\\s.]+$", "");
    }

    private static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
    }

    /** The first line, without the quotes, markdown and final stop that models like to add. */
    static String clean(String raw) {
        String line = raw.strip().lines().findFirst().orElse("").strip();
        line = decoration(decoration(line).replaceAll("^(?i)title\\s*:", ""));
        return line.length() > 80 ? line.substring(0, 80).strip() : line;
    }
}
