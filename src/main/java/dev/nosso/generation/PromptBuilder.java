package dev.nosso.generation;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.Messages;
import dev.nosso.provider.PromptMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a model is sent for a turn: the system prompt, then as much of the branch above the answer as fits
 * the model's context, newest first, with room left for the answer itself. Tokens are counted with
 * {@code cl100k_base} for every model: not exact for each one, but close enough to budget with.
 */
@Component
class PromptBuilder {

    // What a chat format adds around each message (role markers, separators), as OpenAI documents it.
    private static final int PER_MESSAGE = 4;
    private static final int WINDOW = 100;

    private final Messages messages;
    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    PromptBuilder(Messages messages) {
        this.messages = messages;
    }

    int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /**
     * @param question      the message the answer answers: the newest message sent
     * @param contextTokens the model's context length
     * @param answerTokens  tokens to keep free for the answer
     */
    Prompt build(UUID owner, UUID chatId, UUID question, String systemPrompt, int contextTokens, int answerTokens) {
        int budget = contextTokens - Math.min(answerTokens, contextTokens / 2);
        int used = 0;
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            used += count(systemPrompt) + PER_MESSAGE;
        }
        List<PromptMessage> newestFirst = new ArrayList<>();
        UUID next = question;
        boolean full = false;
        while (next != null && !full) {
            List<Message> window = messages.branchEndingAt(owner, chatId, next, WINDOW);
            for (int i = window.size() - 1; i >= 0; i--) {
                Message m = window.get(i);
                if (m.content().isEmpty()) {
                    continue; // an answer that never produced text says nothing to the model
                }
                int cost = count(m.content()) + PER_MESSAGE;
                if (used + cost > budget && !newestFirst.isEmpty()) {
                    full = true;
                    break;
                }
                used += cost; // the question always goes, even alone over budget: the provider says so then
                newestFirst.add(new PromptMessage(m.role().wire(), m.content()));
            }
            next = window.isEmpty() ? null : window.getFirst().parentId();
        }
        List<PromptMessage> prompt = new ArrayList<>(newestFirst.size() + 1);
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            prompt.add(new PromptMessage(MessageRole.SYSTEM.wire(), systemPrompt));
        }
        Collections.reverse(newestFirst);
        prompt.addAll(newestFirst);
        return new Prompt(prompt, used);
    }

    /** The messages to send, oldest first, and their token count. */
    record Prompt(List<PromptMessage> messages, int tokens) {
    }
}
