package dev.nosso.transfer;

import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Source;
import dev.nosso.platform.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Nosso's own export ({@link NossoExport} writes it): {@code {"format": "nosso.chats", "version": 1, "chats": […]}},
 * each chat with its settings, folder (by name), tags, {@code activeLeafId} and every message of every branch,
 * parents first. Read back, it gives the same chats: roles, texts, statuses, errors, models, times, the answers'
 * citations, the shown leaf, the folder and the tags. An answer that was
 * still being written when it was exported comes back {@code interrupted}, as a restart would leave it.
 */
@Component
class NossoFormat implements Format {

    static final String NAME = "nosso";
    static final String FORMAT = "nosso.chats";
    static final int VERSION = 1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean reads(JsonNode conversation) {
        return conversation.path("messages").isArray() && conversation.has("activeLeafId");
    }

    @Override
    public Optional<Conversation> read(JsonNode chat, ImportReport report) {
        String id = Json.text(chat.path("id"));
        String title = report.storable(Json.text(chat.path("title")));
        if (id == null) {
            report.skip("conversation-without-id");
            report.warn("A chat without an id (“" + title + "”) was left out: it could not be imported only once.");
            return Optional.empty();
        }
        Instant created = Json.time(chat.path("createdAt"));
        MessageTree tree = new MessageTree();
        for (JsonNode m : chat.path("messages").values()) {
            String messageId = Json.text(m.path("id"));
            if (messageId == null) {
                report.skip("message-without-id");
                continue;
            }
            tree.add(messageId, Json.text(m.path("parentId")), draft(m, report));
        }
        var turns = tree.parentsFirst(created != null ? created : Instant.EPOCH, report, title == null ? id : title);
        if (turns.isEmpty()) {
            report.skip("conversation-without-messages");
            return Optional.empty();
        }
        Instant start = created != null ? created : turns.getFirst().createdAt();
        Instant updated = Json.time(chat.path("updatedAt"));
        List<String> tags = new ArrayList<>();
        chat.path("tags").values().forEach(t -> {
            if (t.isString()) {
                tags.add(report.storable(t.stringValue()));
            }
        });
        return Optional.of(new Conversation(NAME, id, title, report.storable(Json.text(chat.path("model"))),
                report.storable(Json.text(chat.path("systemPrompt"))), Json.flag(chat.path("pinned")),
                Json.flag(chat.path("archived")), start, updated != null ? updated : start, turns,
                tree.keptAncestor(Json.text(chat.path("activeLeafId"))), report.storable(Json.text(chat.path("folder"))),
                tags));
    }

    /** An answer's citations as the export saved them; one without a number or a text is left out. */
    private static List<Source> sources(JsonNode m, ImportReport report) {
        List<Source> sources = new ArrayList<>();
        for (JsonNode s : m.path("sources").values()) {
            String text = report.storable(Json.text(s.path("text")));
            if (!s.path("n").isIntegralNumber() || text == null) {
                report.skip("invalid-source");
                continue;
            }
            sources.add(new Source(s.path("n").asInt(), Ids.parseOrNull(Json.text(s.path("chunkId"))),
                    Json.text(s.path("sourceKind")), Ids.parseOrNull(Json.text(s.path("sourceId"))),
                    report.storable(Json.text(s.path("sourceName"))), Ids.parseOrNull(Json.text(s.path("chatId"))),
                    report.storable(Json.text(s.path("headingPath"))), text, s.path("score").asDouble(0)));
        }
        return sources;
    }

    private static MessageTree.Draft draft(JsonNode m, ImportReport report) {
        MessageRole role;
        try {
            role = MessageRole.fromWire(Json.text(m.path("role")));
        } catch (IllegalArgumentException e) {
            report.skip("unknown-role");
            return null;
        }
        MessageStatus status;
        try {
            status = MessageStatus.fromWire(Json.text(m.path("status")) == null ? "complete" : Json.text(m.path("status")));
        } catch (IllegalArgumentException e) {
            status = MessageStatus.COMPLETE;
        }
        if (status.unfinished()) {
            status = MessageStatus.INTERRUPTED;
        }
        String content = m.path("content").isString() ? report.storable(m.path("content").stringValue()) : "";
        return new MessageTree.Draft(role, content, report.storable(Json.text(m.path("model"))), status,
                report.storable(Json.text(m.path("error"))), Json.time(m.path("createdAt")),
                Json.time(m.path("updatedAt")), sources(m, report));
    }
}
