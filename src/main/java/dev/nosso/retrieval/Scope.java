package dev.nosso.retrieval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which of an owner's chunks a search may see: files (all, or only some) and messages (all, or only some
 * chats'). The same rule as SQL, for the databases, and as a predicate, for the in-memory vector index.
 *
 * @param files     whether file chunks are searched at all (not when {@code sourceIds} is empty)
 * @param sourceIds only these files' chunks; {@code null} means any file
 * @param memory    whether message chunks (memory of past conversations) are searched at all (not when
 *                  {@code chatIds} is empty)
 * @param chatIds   only messages of these chats; {@code null} means any chat
 */
public record Scope(boolean files, List<UUID> sourceIds, boolean memory, List<UUID> chatIds) {

    /** Every file and every remembered message of the owner. */
    public static final Scope EVERYTHING = new Scope(true, null, true, null);

    /** Nothing at all: a search that is not made. */
    public static final Scope NONE = new Scope(false, null, false, null);

    /** Every remembered message of the owner, and no file. */
    public static final Scope MEMORY = new Scope(false, null, true, null);

    // Fragments appended after a space; values always bound.
    private static final String FILES = "c.source_kind = 'file'";
    private static final String SOME_FILES = "(c.source_kind = 'file' AND c.source_id IN (:sourceIds))";
    private static final String MESSAGES = "c.source_kind = 'message'";
    private static final String SOME_CHATS = "(c.source_kind = 'message' AND c.chat_id IN (:chatIds))";

    public Scope {
        files = files && (sourceIds == null || !sourceIds.isEmpty());
        memory = memory && (chatIds == null || !chatIds.isEmpty());
        sourceIds = sourceIds == null ? null : List.copyOf(sourceIds);
        chatIds = chatIds == null ? null : List.copyOf(chatIds);
    }

    /** Nothing to search: every kind of source is excluded. */
    public boolean isEmpty() {
        return !files && !memory;
    }

    /** {@code " AND (...)"} restricting {@code c} (the chunks table) to this scope. */
    String sql() {
        String file = sourceIds == null ? FILES : SOME_FILES;
        String message = chatIds == null ? MESSAGES : SOME_CHATS;
        if (files && memory) {
            return " AND (" + file + " OR " + message + ")";
        }
        return " AND " + (files ? file : message);
    }

    JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec) {
        if (files && sourceIds != null) {
            spec = spec.param("sourceIds", sourceIds);
        }
        if (memory && chatIds != null) {
            spec = spec.param("chatIds", chatIds);
        }
        return spec;
    }

    /** The same rule as {@link #sql()}, for one chunk held in memory. */
    Predicate predicate() {
        Set<UUID> sources = sourceIds == null ? null : new HashSet<>(sourceIds);
        Set<UUID> chats = chatIds == null ? null : new HashSet<>(chatIds);
        return (kind, sourceId, chatId) -> kind == SourceKind.FILE
                ? files && (sources == null || sources.contains(sourceId))
                : memory && (chats == null || chats.contains(chatId));
    }

    interface Predicate {
        boolean admits(SourceKind kind, UUID sourceId, UUID chatId);
    }
}
