package dev.nosso.chat;

import dev.nosso.platform.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The chats table. Every statement carries the owner, so another user's chat is simply not found. */
@Repository
class ChatRepository {

    private static final String INSERT = """
            INSERT INTO chats (id, user_id, title, folder_id, model, pinned, archived, message_count, created_at,
                               updated_at)
            VALUES (:id, :owner, :title, :folderId, :model, FALSE, FALSE, 0, :now, :now)
            """;

    private static final String FIND = "SELECT " + Chat.COLUMNS + " FROM chats c WHERE c.id = :id AND c.user_id = :owner AND c.deleted_at IS NULL";

    // Keyset pagination over (updated_at, id), newest first, served by the index chats_user_updated.
    // A deleted chat (deleted_at set) is gone from every read at once; sweep-deleted removes its rows later.
    private static final String LIST = "SELECT " + Chat.COLUMNS + " FROM chats c WHERE c.user_id = :owner AND c.deleted_at IS NULL";
    private static final String AFTER_CURSOR =
            " AND (c.updated_at < :cursorAt OR (c.updated_at = :cursorAt AND c.id < :cursorId))";
    private static final String ORDER = " ORDER BY c.updated_at DESC, c.id DESC LIMIT :limit";

    // Fragments appended after a space: a text block drops the leading indentation of its first line.
    private static final String WITH_TAG = """
             AND EXISTS (SELECT 1 FROM chat_tags ct JOIN tags t ON t.id = ct.tag_id
                          WHERE ct.chat_id = c.id AND t.user_id = :owner AND t.name = :tag)""";

    // Full text: the FTS5 tables (SQLite) or the tsvector columns (PostgreSQL) find the rows; the owner
    // filter on chats keeps the result to the caller's own chats.
    private static final String MATCH_SQLITE = """
             AND (c.seq IN (SELECT rowid FROM chats_fts WHERE chats_fts MATCH :query)
                  OR c.id IN (SELECT m.chat_id FROM messages m
                               WHERE m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH :query)
                                 AND NOT m.deleting))""";
    private static final String MATCH_POSTGRESQL = """
             AND (c.search @@ to_tsquery('simple', :query)
                  OR c.id IN (SELECT m.chat_id FROM messages m WHERE m.search @@ to_tsquery('simple', :query)
                              AND NOT m.deleting))""";

    private static final String TAGS_OF = """
            SELECT ct.chat_id, t.name FROM chat_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.chat_id IN (:chatIds) ORDER BY t.name
            """;

    // The sidebar's two lists in one statement: the pinned chats and the first page of the others, each in
    // its own keyset order through chats_user_updated. Each part is a subquery so that it keeps its LIMIT.
    private static final String PINNED_AND_RECENT = """
            SELECT * FROM (SELECT\s""" + Chat.COLUMNS + """
             FROM chats c WHERE c.user_id = :owner AND c.deleted_at IS NULL AND c.archived = :no AND c.pinned = :yes
             ORDER BY c.updated_at DESC, c.id DESC LIMIT :pinnedLimit) AS pinned
            UNION ALL
            SELECT * FROM (SELECT\s""" + Chat.COLUMNS + """
             FROM chats c WHERE c.user_id = :owner AND c.deleted_at IS NULL AND c.archived = :no AND c.pinned = :no
             ORDER BY c.updated_at DESC, c.id DESC LIMIT :recentLimit) AS recent
            """;

    // Tags and collections of several chats in one statement; the owner is checked on both sides.
    private static final String LABELS_OF = """
            SELECT ct.chat_id, 'tag' AS kind, t.name AS label FROM chat_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.chat_id IN (:chatIds) AND t.user_id = :owner
            UNION ALL
            SELECT cc.chat_id, 'collection' AS kind, CAST(cc.collection_id AS TEXT) AS label
              FROM chat_collections cc JOIN chats c ON c.id = cc.chat_id
             WHERE cc.chat_id IN (:chatIds) AND c.user_id = :owner
            ORDER BY label
            """;

    // Deleting a chat marks it: one row, so it leaves every read at once (they all filter deleted_at); its tags
    // go now, since tag counts and unused tags are read from chat_tags. SweepDeleted removes the rest later.
    private static final String MARK_DELETED = """
            UPDATE chats SET deleted_at = :now WHERE id = :id AND user_id = :owner AND deleted_at IS NULL
            """;

    // The last step of a chat's sweep, once its messages are gone: the row and what cascades from it (its
    // collections, files, import records and any message appended in a race).
    private static final String PURGE = "DELETE FROM chats WHERE id = :id AND user_id = :owner AND deleted_at IS NOT NULL";

    private final JdbcClient jdbc;
    private final Dialect dialect;

    ChatRepository(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    void insert(UUID owner, UUID id, String title, UUID folderId, String model, Instant now) {
        jdbc.sql(INSERT).param("id", id).param("owner", owner).param("title", title).param("folderId", folderId)
                .param("model", model).param("now", now.toEpochMilli()).update();
    }

    List<Chat> findAll(UUID owner, Collection<UUID> ids) {
        return jdbc.sql("SELECT " + Chat.COLUMNS + " FROM chats c WHERE c.user_id = :owner AND c.deleted_at IS NULL AND c.id IN (:ids)")
                .param("owner", owner).param("ids", ids).query(Chat::fromRow).list();
    }

    Optional<Chat> find(UUID owner, UUID id) {
        return jdbc.sql(FIND).param("id", id).param("owner", owner).query(Chat::fromRow).optional();
    }

    /** One page of chats; {@code query}, when given, is a full-text expression from {@link SearchQuery}. */
    List<Chat> list(UUID owner, ChatFilter filter, String query, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder(LIST);
        Map<String, Object> params = new HashMap<>();
        params.put("owner", owner);
        params.put("limit", limit);
        if (filter.pinned() != null) {
            sql.append(" AND c.pinned = :pinned");
            params.put("pinned", filter.pinned());
        }
        if (filter.archived() != null) {
            sql.append(" AND c.archived = :archived");
            params.put("archived", filter.archived());
        }
        if (filter.folderId() != null) {
            sql.append(" AND c.folder_id = :folderId");
            params.put("folderId", filter.folderId());
        }
        if (filter.tag() != null) {
            sql.append(' ').append(WITH_TAG);
            params.put("tag", filter.tag());
        }
        if (query != null) {
            sql.append(' ').append(dialect.pick(MATCH_SQLITE, MATCH_POSTGRESQL));
            params.put("query", query);
        }
        if (after != null) {
            sql.append(AFTER_CURSOR);
            params.put("cursorAt", after.updatedAt().toEpochMilli());
            params.put("cursorId", after.id());
        }
        sql.append(ORDER);
        return jdbc.sql(sql.toString()).params(params).query(Chat::fromRow).list();
    }

    /** The tags of each chat, by chat id. */
    Map<UUID, List<String>> tagsOf(Collection<UUID> chatIds) {
        Map<UUID, List<String>> tags = new HashMap<>();
        if (chatIds.isEmpty()) {
            return tags;
        }
        jdbc.sql(TAGS_OF).param("chatIds", chatIds).query((rs, row) -> {
            tags.computeIfAbsent(UUID.fromString(rs.getString("chat_id")), k -> new ArrayList<>())
                    .add(rs.getString("name"));
            return null;
        }).list();
        return tags;
    }

    /**
     * The owner's unarchived chats: up to {@code pinnedLimit} pinned ones, then up to {@code recentLimit} others,
     * each part newest first.
     */
    List<Chat> pinnedAndRecent(UUID owner, int pinnedLimit, int recentLimit) {
        return jdbc.sql(PINNED_AND_RECENT).param("owner", owner).param("yes", true).param("no", false)
                .param("pinnedLimit", pinnedLimit).param("recentLimit", recentLimit)
                .query(Chat::fromRow).list();
    }

    /** The chats with their tags (by name) and collections (by id) filled in, read in one statement. */
    List<Chat> withLabels(UUID owner, List<Chat> chats) {
        if (chats.isEmpty()) {
            return chats;
        }
        Map<UUID, List<String>> tags = new HashMap<>();
        Map<UUID, List<UUID>> collections = new HashMap<>();
        jdbc.sql(LABELS_OF).param("owner", owner).param("chatIds", chats.stream().map(Chat::id).distinct().toList())
                .query((rs, row) -> {
                    UUID chatId = UUID.fromString(rs.getString("chat_id"));
                    String label = rs.getString("label");
                    if ("tag".equals(rs.getString("kind"))) {
                        tags.computeIfAbsent(chatId, k -> new ArrayList<>()).add(label);
                    } else {
                        collections.computeIfAbsent(chatId, k -> new ArrayList<>()).add(UUID.fromString(label));
                    }
                    return null;
                }).list();
        return chats.stream().map(c -> c.withTags(tags.getOrDefault(c.id(), List.of()))
                .withCollections(collections.getOrDefault(c.id(), List.of()))).toList();
    }

    List<UUID> collectionsOf(UUID chatId) {
        return collectionsOf(List.of(chatId)).getOrDefault(chatId, List.of());
    }

    Map<UUID, List<UUID>> collectionsOf(Collection<UUID> chatIds) {
        Map<UUID, List<UUID>> collections = new HashMap<>();
        if (chatIds.isEmpty()) {
            return collections;
        }
        jdbc.sql("SELECT chat_id, collection_id FROM chat_collections WHERE chat_id IN (:chatIds) ORDER BY collection_id")
                .param("chatIds", chatIds).query((rs, row) -> {
                    collections.computeIfAbsent(UUID.fromString(rs.getString("chat_id")), k -> new ArrayList<>())
                            .add(UUID.fromString(rs.getString("collection_id")));
                    return null;
                }).list();
        return collections;
    }

    /** How many of these ids are collections of the owner's (the collections table belongs to knowledge). */
    int ownedCollections(UUID owner, Collection<UUID> ids) {
        return jdbc.sql("SELECT count(*) FROM collections WHERE user_id = :owner AND id IN (:ids)")
                .param("owner", owner).param("ids", ids).query(Integer.class).single();
    }

    void setCollections(UUID chatId, Collection<UUID> ids) {
        jdbc.sql("DELETE FROM chat_collections WHERE chat_id = :chatId").param("chatId", chatId).update();
        for (UUID id : ids) {
            jdbc.sql("INSERT INTO chat_collections (chat_id, collection_id) VALUES (:chatId, :id)")
                    .param("chatId", chatId).param("id", id).update();
        }
    }

    boolean retitle(UUID owner, UUID id, String title, String onlyIfTitled) {
        return jdbc.sql("UPDATE chats SET title = :title WHERE id = :id AND user_id = :owner AND deleted_at IS NULL AND title = :old")
                .param("title", title).param("id", id).param("owner", owner).param("old", onlyIfTitled).update() == 1;
    }

    // column is one of this class's constants, never input
    private static void set(StringBuilder sql, Map<String, Object> params, String column, Optional<?> value) {
        if (value != null) {
            sql.append(", ").append(column).append(" = :").append(column);
            params.put(column, value.orElse(null));
        }
    }

    /** Applies the non-null changes; false when the chat is not the owner's. */
    boolean update(UUID owner, UUID id, ChatChanges changes, Instant now) {
        StringBuilder sql = new StringBuilder("UPDATE chats SET updated_at = :now");
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        params.put("owner", owner);
        params.put("now", now.toEpochMilli());
        if (changes.title() != null) {
            sql.append(", title = :title");
            params.put("title", changes.title());
        }
        if (changes.pinned() != null) {
            sql.append(", pinned = :pinned");
            params.put("pinned", changes.pinned());
        }
        if (changes.archived() != null) {
            sql.append(", archived = :archived");
            params.put("archived", changes.archived());
        }
        if (changes.folderId() != null) {
            sql.append(", folder_id = :folderId");
            params.put("folderId", changes.folderId().orElse(null));
        }
        set(sql, params, "model", changes.model());
        set(sql, params, "system_prompt", changes.systemPrompt());
        set(sql, params, "temperature", changes.temperature());
        set(sql, params, "max_tokens", changes.maxTokens());
        if (changes.memory() != null) {
            sql.append(", memory = :memory");
            params.put("memory", changes.memory());
        }
        sql.append(" WHERE id = :id AND user_id = :owner AND deleted_at IS NULL");
        return jdbc.sql(sql.toString()).params(params).update() == 1;
    }

    /** Marks the chat deleted and drops its tags; false when it is not the owner's (or deleted already). */
    boolean markDeleted(UUID owner, UUID id, Instant now) {
        if (jdbc.sql(MARK_DELETED).param("id", id).param("owner", owner).param("now", now.toEpochMilli()).update() != 1) {
            return false;
        }
        jdbc.sql("DELETE FROM chat_tags WHERE chat_id = :id").param("id", id).update();
        // What the row's deletion will do through files.chat_id (ON DELETE SET NULL), done now: a file uploaded
        // in the chat stops naming it at once.
        jdbc.sql("UPDATE files SET chat_id = NULL WHERE chat_id = :id").param("id", id).update();
        return true;
    }

    /** The owner's chats marked deleted and not yet swept. */
    List<UUID> deleted(UUID owner) {
        return jdbc.sql("SELECT c.id FROM chats c WHERE c.user_id = :owner AND c.deleted_at IS NOT NULL")
                .param("owner", owner).query((rs, row) -> UUID.fromString(rs.getString(1))).list();
    }

    void purge(UUID owner, UUID id) {
        jdbc.sql(PURGE).param("id", id).param("owner", owner).update();
    }
}
