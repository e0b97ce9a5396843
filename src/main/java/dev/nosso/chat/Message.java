package dev.nosso.chat;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * One node of a chat's message tree.
 *
 * @param depth 0 for a root, its parent's depth plus one otherwise; lets a copy or an export order parents
 *              before children without walking the tree
 * @param error why an answer ended in {@code error} (or was {@code interrupted}); null otherwise
 * @param usage tokens and timings of an answer; null for anything else
 * @param sources the passages an answer was grounded on, numbered as cited; empty for anything else
 * @param attachments the files sent with a question (its images, its documents); empty for anything else
 */
public record Message(UUID id, UUID chatId, UUID parentId, int depth, MessageRole role, String content,
                      String model, MessageStatus status, String error, Usage usage, List<Source> sources,
                      Instant createdAt, Instant updatedAt, List<Attachment> attachments) {

    public Message {
        attachments = attachments == null ? List.of() : attachments;
    }

    /** A message without attachments: every message but a question sent with files. */
    public Message(UUID id, UUID chatId, UUID parentId, int depth, MessageRole role, String content, String model,
                   MessageStatus status, String error, Usage usage, List<Source> sources, Instant createdAt,
                   Instant updatedAt) {
        this(id, chatId, parentId, depth, role, content, model, status, error, usage, sources, createdAt, updatedAt,
                List.of());
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    // An answer's text lives in partial while it streams (see V3__turns.sql).
    static final String COLUMNS = "m.id, m.chat_id, m.parent_id, m.depth, m.role, "
            + "COALESCE(m.partial, m.content) AS content, m.model, m.status, m.error, m.usage, m.sources, m.created_at, "
            + "m.updated_at, m.attachments";

    /** The same message, grounded on these sources. */
    public Message withSources(List<Source> newSources) {
        return new Message(id, chatId, parentId, depth, role, content, model, status, error, usage,
                List.copyOf(newSources), createdAt, updatedAt, attachments);
    }

    /** The same message with another status (its text as it is). */
    public Message withStatus(MessageStatus newStatus) {
        return new Message(id, chatId, parentId, depth, role, content, model, newStatus, error, usage, sources,
                createdAt, updatedAt, attachments);
    }

    static String sourcesToJson(List<Source> sources) {
        return sources == null || sources.isEmpty() ? null : JSON.writeValueAsString(sources);
    }

    static List<Source> sourcesFromJson(String json) {
        return json == null ? List.of() : List.of(JSON.readValue(json, Source[].class));
    }

    /** Whether this answer is still being written (by this process, or by one that died). */
    public boolean unfinished() {
        return status.unfinished();
    }

    static Message fromRow(ResultSet rs, int row) throws SQLException {
        return new Message(Rows.uuid(rs, "id"), Rows.uuid(rs, "chat_id"), Rows.uuid(rs, "parent_id"),
                rs.getInt("depth"), MessageRole.fromWire(rs.getString("role")), rs.getString("content"),
                rs.getString("model"), MessageStatus.fromWire(rs.getString("status")), rs.getString("error"),
                Usage.fromJson(rs.getString("usage")), sourcesFromJson(rs.getString("sources")), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"),
                Attachment.fromJson(rs.getString("attachments")));
    }
}
