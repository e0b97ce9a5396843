package dev.nosso.transfer;

import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * ChatGPT's export ({@code conversations.json}, or {@code conversations-000.json}, … in newer exports): an
 * array of conversations, each a {@code mapping} of nodes by id, each node with its {@code parent}, its
 * {@code children} and a {@code message}, and the {@code current_node} that was shown. Every branch is kept
 * (an edited question or a regenerated answer is a sibling). Left out, and counted: system messages (ChatGPT
 * never shows them), nodes hidden from the conversation, tools' messages and the assistant's calls to tools,
 * the model's reasoning, and messages with no text.
 */
@Component
class ChatGptFormat implements Format {

    static final String NAME = "chatgpt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean reads(JsonNode conversation) {
        return conversation.path("mapping").isObject();
    }

    @Override
    public Optional<Conversation> read(JsonNode conversation, ImportReport report) {
        String id = Json.text(conversation.path("conversation_id"));
        if (id == null) {
            id = Json.text(conversation.path("id"));
        }
        String title = report.storable(Json.text(conversation.path("title")));
        if (id == null) {
            report.skip("conversation-without-id");
            report.warn("A conversation without an id (“" + title + "”) was left out: it could not be imported only once.");
            return Optional.empty();
        }
        Instant created = Json.time(conversation.path("create_time"));
        Instant updated = Json.time(conversation.path("update_time"));
        MessageTree tree = new MessageTree();
        for (Map.Entry<String, JsonNode> entry : conversation.path("mapping").properties()) {
            JsonNode node = entry.getValue();
            String parent = Json.text(node.path("parent"));
            tree.add(entry.getKey(), parent, draft(node.path("message"), report));
        }
        Instant fallback = created != null ? created : updated != null ? updated : Instant.EPOCH;
        var turns = tree.parentsFirst(fallback, report, title == null ? id : title);
        if (turns.isEmpty()) {
            report.skip("conversation-without-messages");
            return Optional.empty();
        }
        Instant first = turns.getFirst().createdAt();
        return Optional.of(new Conversation(NAME, id, title, report.storable(
                Json.text(conversation.path("default_model_slug"))), null, false,
                Json.flag(conversation.path("is_archived")), created != null ? created : first,
                updated != null ? updated : created != null ? created : first, turns,
                tree.keptAncestor(Json.text(conversation.path("current_node")))));
    }

    /** The node's message as kept, or null (counted) when it is left out or the node has none (the root). */
    private static MessageTree.Draft draft(JsonNode message, ImportReport report) {
        if (!message.isObject()) {
            return null;
        }
        String role = Json.text(message.path("author").path("role"));
        JsonNode metadata = message.path("metadata");
        String contentType = Json.text(message.path("content").path("content_type"));
        String recipient = Json.text(message.path("recipient"));
        if ("system".equals(role) || "user_editable_context".equals(contentType)) {
            report.skip("hidden-system");
            return null;
        }
        if ("tool".equals(role) || recipient != null && !"all".equals(recipient)) {
            report.skip("tool");
            return null;
        }
        if (Json.flag(metadata.path("is_visually_hidden_from_conversation"))) {
            report.skip("hidden");
            return null;
        }
        if ("thoughts".equals(contentType) || "reasoning_recap".equals(contentType)) {
            report.skip("reasoning");
            return null;
        }
        MessageRole kept = "user".equals(role) ? MessageRole.USER : "assistant".equals(role) ? MessageRole.ASSISTANT : null;
        if (kept == null) {
            report.skip("unknown-role");
            return null;
        }
        String text = text(message.path("content"), contentType, report);
        if (text == null) {
            report.skip("unsupported-content");
            return null;
        }
        text = report.storable(text);
        if (text.isBlank()) {
            report.skip("empty");
            return null;
        }
        MessageStatus status = "in_progress".equals(Json.text(message.path("status"))) ? MessageStatus.INTERRUPTED
                : MessageStatus.COMPLETE;
        String model = kept == MessageRole.ASSISTANT ? report.storable(Json.text(metadata.path("model_slug"))) : null;
        return new MessageTree.Draft(kept, text, model, status, null, Json.time(message.path("create_time")),
                Json.time(message.path("update_time")));
    }

    /**
     * The text of a message's content: its string parts (an image or a file in a part is named, not imported),
     * or a code block; null for kinds of content that are not a conversation's text.
     */
    private static String text(JsonNode content, String contentType, ImportReport report) {
        if ("code".equals(contentType)) {
            String language = Json.text(content.path("language"));
            String code = content.path("text").isString() ? content.path("text").stringValue() : "";
            return "```" + (language == null || "unknown".equals(language) ? "" : language) + "\n" + code + "\n```";
        }
        if (!"text".equals(contentType) && !"multimodal_text".equals(contentType)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content.path("parts").values()) {
            if (part.isString()) {
                parts.add(part.stringValue());
            } else if (part.isObject()) {
                report.skip("attachment");
                String kind = Json.text(part.path("content_type"));
                parts.add(kind != null && kind.startsWith("image") ? "*[image not imported]*" : "*[attachment not imported]*");
            }
        }
        return String.join("\n\n", parts);
    }
}
