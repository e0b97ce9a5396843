package dev.nosso.transfer;

import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Open WebUI's chat export (one chat, or all of them: an array either way, or a bare chat object): each chat's
 * {@code chat.history.messages} is its message tree by id, each message naming its {@code parentId}, and
 * {@code chat.history.currentId} the message shown. An older export with only a flat {@code chat.messages} list
 * is read as one branch. An answer that ended in an error keeps its text and the error.
 */
@Component
class OpenWebUiFormat implements Format {

    static final String NAME = "open-webui";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean reads(JsonNode conversation) {
        JsonNode chat = conversation.has("chat") ? conversation.path("chat") : conversation;
        return chat.path("history").isObject() || chat.path("messages").isArray();
    }

    @Override
    public Optional<Conversation> read(JsonNode conversation, ImportReport report) {
        JsonNode chat = conversation.has("chat") ? conversation.path("chat") : conversation;
        String title = report.storable(Json.text(conversation.path("title")) != null
                ? Json.text(conversation.path("title")) : Json.text(chat.path("title")));
        Instant created = first(Json.time(conversation.path("created_at")), Json.time(chat.path("timestamp")));
        Instant updated = first(Json.time(conversation.path("updated_at")), created);
        MessageTree tree = new MessageTree();
        JsonNode history = chat.path("history").path("messages");
        String current;
        if (history.isObject() && !history.isEmpty()) {
            for (Map.Entry<String, JsonNode> entry : history.properties()) {
                JsonNode m = entry.getValue();
                tree.add(entry.getKey(), Json.text(m.path("parentId")), draft(m, report));
            }
            current = Json.text(chat.path("history").path("currentId"));
        } else {
            String previous = null;
            int i = 0;
            for (JsonNode m : chat.path("messages").values()) {
                String id = Json.text(m.path("id")) != null ? Json.text(m.path("id")) : "message-" + i;
                tree.add(id, previous, draft(m, report));
                previous = id;
                i++;
            }
            current = previous;
        }
        String id = first(Json.text(conversation.path("id")), Json.text(chat.path("id")));
        if (id == null) {
            id = digestOf(history.isObject() ? history.propertyNames() : null, title, created);
        }
        Instant fallback = created != null ? created : Instant.EPOCH;
        var turns = tree.parentsFirst(fallback, report, title == null ? id : title);
        if (turns.isEmpty()) {
            report.skip("conversation-without-messages");
            return Optional.empty();
        }
        Instant start = created != null ? created : turns.getFirst().createdAt();
        String model = Json.text(chat.path("models").path(0));
        return Optional.of(new Conversation(NAME, id, title, report.storable(model),
                report.storable(Json.text(chat.path("params").path("system"))), Json.flag(conversation.path("pinned")),
                Json.flag(conversation.path("archived")), start, updated != null ? updated : start, turns,
                tree.keptAncestor(current)));
    }

    private static MessageTree.Draft draft(JsonNode m, ImportReport report) {
        String role = Json.text(m.path("role"));
        MessageRole kept = "user".equals(role) ? MessageRole.USER : "assistant".equals(role) ? MessageRole.ASSISTANT
                : "system".equals(role) ? MessageRole.SYSTEM : null;
        if (kept == null) {
            report.skip("unknown-role");
            return null;
        }
        String content = m.path("content").isString() ? report.storable(m.path("content").stringValue()) : "";
        String error = errorOf(m.path("error"), report);
        if (content.isBlank() && error == null) {
            report.skip("empty");
            return null;
        }
        MessageStatus status = error != null ? MessageStatus.ERROR
                : kept == MessageRole.ASSISTANT && m.path("done").isBoolean() && !m.path("done").booleanValue()
                ? MessageStatus.INTERRUPTED : MessageStatus.COMPLETE;
        String model = kept == MessageRole.ASSISTANT ? report.storable(Json.text(m.path("model"))) : null;
        Instant time = Json.time(m.path("timestamp"));
        return new MessageTree.Draft(kept, content, model, status, error, time, time);
    }

    private static String errorOf(JsonNode error, ImportReport report) {
        if (error.isString()) {
            return report.storable(Json.text(error));
        }
        if (error.isObject()) {
            String text = Json.text(error.path("content"));
            return report.storable(text != null ? text : "The answer ended in an error.");
        }
        return Json.flag(error) ? "The answer ended in an error." : null;
    }

    /** An id for a chat exported without one: the same chat gives the same id in every export. */
    private static String digestOf(java.util.Collection<String> messageIds, String title, Instant created) {
        StringBuilder key = new StringBuilder();
        if (messageIds != null) {
            new TreeSet<>(messageIds).forEach(id -> key.append(id).append('\n'));
        }
        key.append(title).append('\n').append(created);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK always has SHA-256", e);
        }
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
