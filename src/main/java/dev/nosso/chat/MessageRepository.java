package dev.nosso.chat;

import dev.nosso.memory.RememberableMessages;
import dev.nosso.memory.RememberedMessage;
import dev.nosso.platform.Rows;
import dev.nosso.platform.TransactionStatements;
import dev.nosso.platform.cluster.Node;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The message tree. An append costs the same at any chat length (an insert and an update of the chat row);
 * reading a window of the active branch costs the window, not the chat.
 */
@Repository
class MessageRepository implements RememberableMessages {

    // The three statements of an append run once per message and many times per SQLite group commit, so
    // they are prepared once per transaction (TransactionStatements) and take positional parameters.

    // The chat's active leaf and its depth in one statement: what an append to the shown branch needs.
    private static final String HEAD = """
            SELECT c.active_leaf_id, m.depth FROM chats c LEFT JOIN messages m ON m.id = c.active_leaf_id
             WHERE c.id = ? AND c.user_id = ? AND c.deleted_at IS NULL
            """;

    private static final String DEPTH_IN_CHAT = """
            SELECT m.depth FROM messages m WHERE m.id = :id AND m.chat_id = :chatId AND NOT m.deleting
            """;

    private static final String INSERT = """
            INSERT INTO messages (id, chat_id, parent_id, depth, role, content, model, status, error, created_at, updated_at,
                                  node_id, attachments)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    // The model is set only when given: a turn whose model becomes the chat's next default.
    private static final String ADVANCE_CHAT = """
            UPDATE chats SET active_leaf_id = ?, message_count = message_count + ?, updated_at = ?,
                   model = COALESCE(?, model)
             WHERE id = ? AND user_id = ?
            """;

    // A turn's start in one statement, for PostgreSQL, where each statement is a round trip and one run on its
    // own commits with it: the question under the chat's shown leaf, its pending answer under the question,
    // and the chat's new leaf. The common turn, which names no parent and keeps the chat's model; the insert
    // checks both parents at the statement's end, when the question is there. No row: no such chat.
    // PostgreSQL: a turn's start in one statement, committed on its own. It reads where the shown branch
    // ends, checks the owner's running answers against :runningLimit (0: no limit), inserts the question and
    // its pending answer under that leaf and advances the chat; and it returns the newest :window messages of
    // the branch above the question, which the prompt is made of, so that the answer's thread has nothing to
    // read before it calls the model. Every part sees the database as the statement began: the branch is the
    // one the question continues, and the count does not include this turn's own answer.
    private static final String START_TURN = """
            WITH RECURSIVE head AS (
                SELECT c.active_leaf_id AS leaf, COALESCE(m.depth, -1) AS depth
                  FROM chats c LEFT JOIN messages m ON m.id = c.active_leaf_id
                 WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL),
            room AS (
                SELECT CASE WHEN :runningLimit = 0 THEN TRUE
                            ELSE (SELECT COUNT(*) FROM messages m JOIN chats c ON c.id = m.chat_id
                                   WHERE m.status IN ('pending', 'streaming') AND c.user_id = :owner
                                     AND c.deleted_at IS NULL) < :runningLimit
                       END AS free),
            added AS (
                INSERT INTO messages (id, chat_id, parent_id, depth, role, content, model, status, created_at,
                                      updated_at, node_id)
                SELECT :questionId, :chatId, h.leaf, h.depth + 1, :role, :content, :questionModel, :questionStatus,
                       :now, :now, NULL FROM head h WHERE (SELECT free FROM room)
                UNION ALL
                SELECT :answerId, :chatId, :questionId, h.depth + 2, :answerRole, '', :model, :answerStatus,
                       :now, :now, :node FROM head h WHERE (SELECT free FROM room)
                RETURNING id),
            advanced AS (
                UPDATE chats SET active_leaf_id = :answerId, message_count = message_count + 2, updated_at = :now
                 WHERE id = :chatId AND user_id = :owner AND EXISTS (SELECT 1 FROM added)),
            branch AS (
                SELECT m.id, m.chat_id, m.parent_id, m.depth, m.role, m.content, m.partial, m.model, m.status,
                       m.error, m.usage, m.sources, m.created_at, m.updated_at, m.attachments, 1 AS n
                  FROM messages m WHERE m.id = (SELECT leaf FROM head) AND NOT m.deleting AND (SELECT free FROM room)
                UNION ALL
                SELECT m.id, m.chat_id, m.parent_id, m.depth, m.role, m.content, m.partial, m.model, m.status,
                       m.error, m.usage, m.sources, m.created_at, m.updated_at, m.attachments, b.n + 1
                  FROM messages m JOIN branch b ON m.id = b.parent_id
                 WHERE b.n < :window)
            SELECT h.leaf AS head_leaf, h.depth AS head_depth, r.free AS admitted,\s""" + Message.COLUMNS + """
             FROM head h CROSS JOIN room r LEFT JOIN branch m ON TRUE ORDER BY m.n DESC
            """;

    private static final String FIND = "SELECT " + Message.COLUMNS + """
             FROM messages m JOIN chats c ON c.id = m.chat_id
             WHERE m.id = :id AND c.user_id = :owner AND NOT m.deleting AND c.deleted_at IS NULL
            """;

    // Walks up from :start at most :limit steps: the newest window of a branch, cheap at any chat length.
    // Each step carries the row's columns, so that nothing joins the steps back to messages at the end (a join
    // that PostgreSQL could plan as a hash join reading the whole table).
    private static final String BRANCH_WINDOW = """
            WITH RECURSIVE branch AS (
                SELECT m.id, m.chat_id, m.parent_id, m.depth, m.role, m.content, m.partial, m.model, m.status,
                       m.error, m.usage, m.sources, m.created_at, m.updated_at, m.attachments, 1 AS n
                  FROM chats c JOIN messages m ON m.chat_id = c.id
                 WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL AND m.id = :start
                   AND NOT m.deleting
                UNION ALL
                SELECT m.id, m.chat_id, m.parent_id, m.depth, m.role, m.content, m.partial, m.model, m.status,
                       m.error, m.usage, m.sources, m.created_at, m.updated_at, m.attachments, b.n + 1
                  FROM messages m JOIN branch b ON m.id = b.parent_id
                 WHERE b.n < :limit)
            SELECT\s""" + Message.COLUMNS + """
             FROM branch m ORDER BY m.n DESC
            """;

    // Found through messages_parent, one lookup per parent. Written without "m.chat_id = :chatId": with it,
    // PostgreSQL's generic plan scanned the whole chat through (chat_id, parent_id), 23 ms at 10,000
    // messages instead of under 1. The owner check stays in the statement.
    private static final String CHILDREN_OF = """
            SELECT m.id, m.parent_id FROM messages m
             WHERE m.parent_id IN (:parentIds) AND NOT m.deleting
               AND EXISTS (SELECT 1 FROM chats c WHERE c.id = m.chat_id AND c.user_id = :owner AND c.deleted_at IS NULL)
             ORDER BY m.id
            """;

    private static final String ROOTS = """
            SELECT m.id FROM chats c JOIN messages m ON m.chat_id = c.id
             WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL AND m.parent_id IS NULL
               AND NOT m.deleting ORDER BY m.id
            """;

    // A page of the tree in (depth, id) order, read along messages_chat_depth from the page before's last row.
    private static final String TREE = "SELECT " + Message.COLUMNS + """
             FROM chats c JOIN messages m ON m.chat_id = c.id
             WHERE c.id = :chatId AND c.user_id = :owner AND c.deleted_at IS NULL AND (m.depth, m.id) > (:depth, :id)
               AND NOT m.deleting
             ORDER BY m.depth, m.id LIMIT :limit
            """;

    // The newest leaf below (or at) a message: where the view lands when the user switches to a branch.
    private static final String NEWEST_LEAF_UNDER = """
            WITH RECURSIVE sub (id) AS (
                SELECT m.id FROM messages m WHERE m.id = :id AND m.chat_id = :chatId AND NOT m.deleting
                UNION ALL
                SELECT m.id FROM messages m JOIN sub s ON m.parent_id = s.id WHERE NOT m.deleting)
            SELECT s.id FROM sub s
             WHERE NOT EXISTS (SELECT 1 FROM messages k WHERE k.parent_id = s.id AND NOT k.deleting)
             ORDER BY s.id DESC LIMIT 1
            """;

    // A deleted subtree is hidden whole in one statement: every read filters "NOT m.deleting", so no read ever
    // sees part of it; the sweep (SweepDeleted) removes the rows later, a bounded batch per write. Marking writes
    // one small column per row, far less than the delete it replaces (no index, full-text or memory work).
    private static final String HIDE_SUBTREE = """
            WITH RECURSIVE sub (id) AS (
                SELECT m.id FROM messages m WHERE m.id = :id AND m.chat_id = :chatId AND NOT m.deleting
                UNION ALL
                SELECT m.id FROM messages m JOIN sub s ON m.parent_id = s.id WHERE NOT m.deleting)
            UPDATE messages SET deleting = TRUE WHERE id IN (SELECT id FROM sub)
            """;

    // A message appended under a hidden one after it was hidden (PostgreSQL: the append read the chat's leaf
    // before the hiding committed) is hidden too, with everything below it, before its parent can be swept.
    private static final String HIDE_STRAGGLERS = """
            WITH RECURSIVE sub (id) AS (
                SELECT k.id FROM messages p JOIN messages k ON k.parent_id = p.id
                 WHERE p.chat_id = :chatId AND p.deleting AND NOT k.deleting
                UNION ALL
                SELECT m.id FROM messages m JOIN sub s ON m.parent_id = s.id WHERE NOT m.deleting)
            UPDATE messages SET deleting = TRUE WHERE id IN (SELECT id FROM sub)
            """;

    // Deepest first, through the partial index messages_deleting: a batch never removes a parent before its
    // children.
    private static final String HIDDEN_DEEPEST_FIRST = """
            SELECT m.id FROM messages m WHERE m.chat_id = :chatId AND m.deleting
             ORDER BY m.depth DESC, m.id DESC LIMIT :limit
            """;

    // A deleted chat's messages, deepest first along messages_chat_depth.
    private static final String DEEPEST_FIRST = """
            SELECT m.id FROM messages m WHERE m.chat_id = :chatId ORDER BY m.depth DESC, m.id DESC LIMIT :limit
            """;

    // The newest leaf of the chat outside the subtree of :skip, starting from its parent or from the chat's other
    // roots: the walk never enters the subtree being deleted, so it costs what stays.
    private static final String NEWEST_LEAF_OUTSIDE = """
            WITH RECURSIVE sub (id) AS (
                SELECT m.id FROM messages m WHERE m.chat_id = :chatId AND m.id <> :skip AND NOT m.deleting AND %s
                UNION ALL
                SELECT m.id FROM messages m JOIN sub s ON m.parent_id = s.id WHERE m.id <> :skip AND NOT m.deleting)
            SELECT s.id FROM sub s
             WHERE NOT EXISTS (SELECT 1 FROM messages k WHERE k.parent_id = s.id AND k.id <> :skip AND NOT k.deleting)
             ORDER BY s.id DESC LIMIT 1
            """;
    private static final String NEWEST_LEAF_UNDER_PARENT = NEWEST_LEAF_OUTSIDE.formatted("m.id = :parentId");
    private static final String NEWEST_LEAF_AMONG_ROOTS = NEWEST_LEAF_OUTSIDE.formatted("m.parent_id IS NULL");

    // What the memory job indexes: the final text (never a partial one), its chat and that chat's title.
    private static final String REMEMBERED = """
            SELECT m.id, m.chat_id, c.title, m.content, m.status
              FROM messages m JOIN chats c ON c.id = m.chat_id
             WHERE m.id IN (:ids) AND c.user_id = :owner AND NOT m.deleting AND c.deleted_at IS NULL
            """;

    // A user's final messages in id order, a page at a time: what re-indexing their memory walks through.
    private static final String REMEMBERABLE = """
            SELECT m.id FROM messages m JOIN chats c ON c.id = m.chat_id
             WHERE c.user_id = :owner AND m.status NOT IN ('pending', 'streaming') AND m.content <> ''
               AND m.id > :after AND NOT m.deleting AND c.deleted_at IS NULL
             ORDER BY m.id LIMIT :limit
            """;

    private static final String COUNT_REMEMBERABLE = """
            SELECT COUNT(*) FROM messages m JOIN chats c ON c.id = m.chat_id
             WHERE c.user_id = :owner AND m.status NOT IN ('pending', 'streaming') AND m.content <> ''
               AND NOT m.deleting AND c.deleted_at IS NULL
            """;

    private static final String EDIT = """
            UPDATE messages SET content = :content, updated_at = :now
             WHERE id = :id AND NOT deleting
               AND chat_id IN (SELECT c.id FROM chats c WHERE c.user_id = :owner AND c.deleted_at IS NULL)
            """;

    // Guarded by status: a checkpoint taken just before the answer ended must not overwrite its final text.
    private static final String CHECKPOINT = """
            UPDATE messages SET partial = ?, status = 'streaming', updated_at = ?
             WHERE id = ? AND status IN ('pending', 'streaming')
            """;

    private static final String FINISH = """
            UPDATE messages SET content = :content, partial = NULL, status = :status, error = :error, usage = :usage,
                   updated_at = :now
             WHERE id = :id
            """;

    // What an interruption returns: enough to remember the answer and its question (Messages.interrupted).
    private static final String INTERRUPTED = """
            RETURNING id, parent_id, content, (SELECT c.user_id FROM chats c WHERE c.id = messages.chat_id) AS owner
            """;

    private static final String INTERRUPT_UNFINISHED = """
            UPDATE messages SET content = COALESCE(partial, content), partial = NULL, status = 'interrupted',
                   error = :reason, updated_at = :now
             WHERE status IN ('pending', 'streaming')
            """ + INTERRUPTED;

    // PostgreSQL only (SQLite has one node): the unfinished answers of nodes that are gone or silent beyond
    // the lease. An answer from before nodes were recorded has no node, and is orphaned too.
    private static final String INTERRUPT_ORPHANED = """
            UPDATE messages SET content = COALESCE(partial, content), partial = NULL, status = 'interrupted',
                   error = :reason, updated_at = :now
             WHERE status IN ('pending', 'streaming')
               AND NOT EXISTS (SELECT 1 FROM nodes n
                                WHERE n.id = messages.node_id AND n.seen_at >= now() - make_interval(secs => :lease))
            """ + INTERRUPTED;

    private final JdbcClient jdbc;
    private final TransactionStatements statements;
    private final Node node;

    MessageRepository(JdbcClient jdbc, TransactionStatements statements, Node node) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.node = node;
    }

    /** Where a chat's shown branch ends: its leaf (null for an empty chat) and that leaf's depth. */
    record Head(UUID leafId, int leafDepth) {
    }

    Optional<Head> head(UUID owner, UUID chatId) {
        try {
            PreparedStatement ps = statements.prepare(HEAD);
            ps.setObject(1, chatId);
            ps.setObject(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Head(Rows.uuid(rs, "active_leaf_id"), rs.getInt("depth")))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw translated("head", e);
        }
    }

    Optional<Integer> depthInChat(UUID chatId, UUID messageId) {
        return jdbc.sql(DEPTH_IN_CHAT).param("id", messageId).param("chatId", chatId).query(Integer.class).optional();
    }

    /**
     * What {@link #startTurn} found: where the shown branch ended before the question, whether the turn was
     * admitted (stored) under the running-answers limit, and up to {@code window} messages of the branch
     * ending at that leaf, oldest first.
     */
    record StartedTurn(Head head, boolean admitted, List<Message> branch) {
    }

    /**
     * PostgreSQL: starts a turn in one statement, committed on its own (see {@link #START_TURN}); the question
     * continues the chat's shown branch. Nothing is stored when the owner has {@code runningLimit} answers
     * running already (0: no limit).
     *
     * @return what the turn found, or empty for no such chat
     */
    Optional<StartedTurn> startTurn(UUID owner, Message question, Message answer, int runningLimit, int window) {
        List<Message> branch = new ArrayList<>();
        Head[] head = {null};
        boolean[] admitted = {false};
        jdbc.sql(START_TURN).param("chatId", question.chatId()).param("owner", owner)
                .param("questionId", question.id()).param("role", question.role().wire())
                .param("content", question.content()).param("questionModel", question.model(), java.sql.Types.VARCHAR)
                .param("questionStatus", question.status().wire()).param("now", question.createdAt().toEpochMilli())
                .param("answerId", answer.id()).param("answerRole", answer.role().wire()).param("model", answer.model())
                .param("answerStatus", answer.status().wire()).param("node", node.id())
                .param("runningLimit", runningLimit).param("window", window)
                .query(rs -> {
                    head[0] = new Head(Rows.uuid(rs, "head_leaf"), rs.getInt("head_depth"));
                    admitted[0] = rs.getBoolean("admitted");
                    if (rs.getString("id") != null) {
                        branch.add(Message.fromRow(rs, branch.size()));
                    }
                });
        return head[0] == null ? Optional.empty() : Optional.of(new StartedTurn(head[0], admitted[0], branch));
    }

    /** Inserts the messages in one batch: one round trip to PostgreSQL for a question and its answer. */
    void insert(List<Message> batch) {
        try {
            PreparedStatement ps = statements.prepare(INSERT);
            for (Message m : batch) {
                bindInsert(ps, m);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw translated("insert", e);
        }
    }

    private void bindInsert(PreparedStatement ps, Message m) throws SQLException {
        ps.setObject(1, m.id());
        ps.setObject(2, m.chatId());
        Rows.setUuid(ps, 3, m.parentId());
        ps.setInt(4, m.depth());
        ps.setString(5, m.role().wire());
        ps.setString(6, m.content());
        Rows.setText(ps, 7, m.model());
        ps.setString(8, m.status().wire());
        Rows.setText(ps, 9, m.error());
        ps.setLong(10, m.createdAt().toEpochMilli());
        ps.setLong(11, m.updatedAt().toEpochMilli());
        Rows.setUuid(ps, 12, m.status().unfinished() ? node.id() : null); // who generates it
        Rows.setText(ps, 13, Attachment.toJson(m.attachments()));
    }

    /**
     * Makes {@code leafId} the chat's shown leaf after {@code added} new messages; with a {@code model}, the
     * chat's model too.
     */
    void advanceChat(UUID owner, UUID chatId, UUID leafId, int added, String model, Instant now) {
        try {
            PreparedStatement ps = statements.prepare(ADVANCE_CHAT);
            ps.setObject(1, leafId);
            ps.setInt(2, added);
            ps.setLong(3, now.toEpochMilli());
            Rows.setText(ps, 4, model);
            ps.setObject(5, chatId);
            ps.setObject(6, owner);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw translated("advanceChat", e);
        }
    }

    /** @return the ids of the answers that were not written: deleted, or ended meanwhile */
    List<UUID> checkpoint(Collection<Checkpoint> checkpoints, Instant now) {
        try {
            PreparedStatement ps = statements.prepare(CHECKPOINT);
            for (Checkpoint c : checkpoints) {
                ps.setString(1, c.content());
                ps.setLong(2, now.toEpochMilli());
                ps.setObject(3, c.messageId());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            List<UUID> missed = new ArrayList<>();
            int i = 0;
            for (Checkpoint c : checkpoints) {
                if (i < counts.length && counts[i] == 0) {
                    missed.add(c.messageId());
                }
                i++;
            }
            return missed;
        } catch (SQLException e) {
            throw translated("checkpoint", e);
        }
    }

    /** @return whether the answer was still there to end */
    boolean finish(UUID id, String content, MessageStatus status, String error, Usage usage, Instant now) {
        return jdbc.sql(FINISH).param("content", content).param("status", status.wire()).param("error", error)
                .param("usage", usage == null ? null : usage.toJson()).param("now", now.toEpochMilli())
                .param("id", id).update() == 1;
    }

    void setSources(UUID id, String json) {
        jdbc.sql("UPDATE messages SET sources = :sources WHERE id = :id").param("sources", json).param("id", id).update();
    }

    /** An answer just marked {@code interrupted}: whose, under which question, and whether it has text. */
    record Interrupted(UUID owner, UUID answerId, UUID questionId, boolean hasText) {
        static Interrupted fromRow(ResultSet rs, int row) throws SQLException {
            String content = rs.getString("content");
            return new Interrupted(Rows.uuid(rs, "owner"), Rows.uuid(rs, "id"), Rows.uuid(rs, "parent_id"),
                    content != null && !content.isBlank());
        }
    }

    List<Interrupted> interruptUnfinished(String reason, Instant now) {
        return jdbc.sql(INTERRUPT_UNFINISHED).param("reason", reason).param("now", now.toEpochMilli())
                .query(Interrupted::fromRow).list();
    }

    List<Interrupted> interruptOrphaned(String reason, Duration lease, Instant now) {
        return jdbc.sql(INTERRUPT_ORPHANED).param("reason", reason).param("now", now.toEpochMilli())
                .param("lease", lease.toMillis() / 1000.0).query(Interrupted::fromRow).list();
    }

    private static DataAccessException translated(String what, SQLException e) {
        return new UncategorizedSQLException("MessageRepository." + what, null, e);
    }

    Optional<Message> find(UUID owner, UUID id) {
        return jdbc.sql(FIND).param("id", id).param("owner", owner).query(Message::fromRow).optional();
    }

    // Through the partial index of unfinished messages: only the answers running now, whatever the history.
    int countRunning(UUID owner) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM messages m JOIN chats c ON c.id = m.chat_id
                 WHERE m.status IN ('pending', 'streaming') AND c.user_id = :owner AND c.deleted_at IS NULL
                """).param("owner", owner).query(Long.class).single().intValue();
    }

    /** Up to {@code limit} messages ending at {@code start}, oldest first. */
    List<Message> branchWindow(UUID owner, UUID chatId, UUID start, int limit) {
        return jdbc.sql(BRANCH_WINDOW).param("chatId", chatId).param("owner", owner).param("start", start)
                .param("limit", limit).query(Message::fromRow).list();
    }

    /** The children of each parent, oldest first; the key {@code null} holds the chat's roots when asked for. */
    Map<UUID, List<UUID>> children(UUID owner, UUID chatId, Collection<UUID> parentIds, boolean withRoots) {
        Map<UUID, List<UUID>> children = new HashMap<>();
        if (!parentIds.isEmpty()) {
            jdbc.sql(CHILDREN_OF).param("owner", owner).param("parentIds", parentIds).query((rs, row) -> {
                children.computeIfAbsent(UUID.fromString(rs.getString("parent_id")), k -> new ArrayList<>())
                        .add(UUID.fromString(rs.getString("id")));
                return null;
            }).list();
        }
        if (withRoots) {
            children.put(null, jdbc.sql(ROOTS).param("chatId", chatId).param("owner", owner)
                    .query((rs, row) -> UUID.fromString(rs.getString("id"))).list());
        }
        return children;
    }

    List<Message> tree(UUID owner, UUID chatId, int afterDepth, UUID afterId, int limit) {
        return jdbc.sql(TREE).param("chatId", chatId).param("owner", owner).param("depth", afterDepth)
                .param("id", afterId).param("limit", limit).query(Message::fromRow).list();
    }

    Optional<UUID> newestLeafUnder(UUID chatId, UUID messageId) {
        return jdbc.sql(NEWEST_LEAF_UNDER).param("id", messageId).param("chatId", chatId)
                .query((rs, row) -> UUID.fromString(rs.getString(1))).optional();
    }

    /**
     * Deletes these messages of the chat, given children before parents; returns how many it deleted. One that
     * has gained a child outside them (appended meanwhile) stays, for the caller's next look.
     */
    int deleteAll(UUID chatId, Collection<UUID> ids) {
        return jdbc.sql("""
                DELETE FROM messages WHERE id IN (:ids) AND chat_id = :chatId
                   AND NOT EXISTS (SELECT 1 FROM messages k WHERE k.parent_id = messages.id AND k.id NOT IN (:ids))
                """).param("ids", ids).param("chatId", chatId).update();
    }

    /** Hides a message and everything below it from every read; returns how many messages it hid. */
    int hideSubtree(UUID chatId, UUID id) {
        return jdbc.sql(HIDE_SUBTREE).param("id", id).param("chatId", chatId).update();
    }

    /** Hides what was appended under hidden messages of the chat after they were hidden; returns how many. */
    int hideStragglers(UUID chatId) {
        return jdbc.sql(HIDE_STRAGGLERS).param("chatId", chatId).update();
    }

    boolean hidden(UUID messageId) {
        return jdbc.sql("SELECT COUNT(*) FROM messages WHERE id = :id AND deleting").param("id", messageId)
                .query(Long.class).single() > 0;
    }

    /** Up to {@code limit} hidden messages of the chat, the deepest first. */
    List<UUID> hiddenDeepestFirst(UUID chatId, int limit) {
        return jdbc.sql(HIDDEN_DEEPEST_FIRST).param("chatId", chatId).param("limit", limit)
                .query((rs, row) -> UUID.fromString(rs.getString(1))).list();
    }

    /** Up to {@code limit} messages of the chat, the deepest first: a deleted chat's, to sweep. */
    List<UUID> deepestFirst(UUID chatId, int limit) {
        return jdbc.sql(DEEPEST_FIRST).param("chatId", chatId).param("limit", limit)
                .query((rs, row) -> UUID.fromString(rs.getString(1))).list();
    }

    /** The owner's chats that hold hidden messages waiting for the sweep. */
    List<UUID> chatsWithHidden(UUID owner) {
        return jdbc.sql("""
                SELECT c.id FROM chats c WHERE c.user_id = :owner
                   AND EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id AND m.deleting)
                """).param("owner", owner).query((rs, row) -> UUID.fromString(rs.getString(1))).list();
    }

    /**
     * Which of these messages of the owner are hidden, alone or with their chat, while they wait for the sweep:
     * what searches of memory must not show, though their chunks are still stored.
     */
    Set<UUID> hiddenAmong(UUID owner, Collection<UUID> ids) {
        return new HashSet<>(jdbc.sql("""
                SELECT m.id FROM messages m JOIN chats c ON c.id = m.chat_id
                 WHERE m.id IN (:ids) AND c.user_id = :owner AND (m.deleting OR c.deleted_at IS NOT NULL)
                """).param("ids", ids).param("owner", owner).query((rs, row) -> UUID.fromString(rs.getString(1))).list());
    }

    /** The newest leaf outside the subtree of {@code skip}: under {@code parentId}, or anywhere when it is null. */
    Optional<UUID> newestLeafOutside(UUID chatId, UUID parentId, UUID skip) {
        var statement = parentId == null ? jdbc.sql(NEWEST_LEAF_AMONG_ROOTS)
                : jdbc.sql(NEWEST_LEAF_UNDER_PARENT).param("parentId", parentId);
        return statement.param("chatId", chatId).param("skip", skip)
                .query((rs, row) -> UUID.fromString(rs.getString(1))).optional();
    }


    @Override
    public Map<UUID, RememberedMessage> remembered(UUID owner, Collection<UUID> messageIds) {
        Map<UUID, RememberedMessage> found = new HashMap<>();
        if (messageIds.isEmpty()) {
            return found;
        }
        jdbc.sql(REMEMBERED).param("ids", messageIds).param("owner", owner).query((rs, row) -> found.put(
                Rows.uuid(rs, "id"), new RememberedMessage(Rows.uuid(rs, "chat_id"), rs.getString("title"),
                        rs.getString("content"), !MessageStatus.fromWire(rs.getString("status")).unfinished())))
                .list();
        return found;
    }

    @Override
    public List<UUID> rememberable(UUID owner, UUID after, int limit) {
        return jdbc.sql(REMEMBERABLE).param("owner", owner).param("after", after).param("limit", limit)
                .query((rs, row) -> UUID.fromString(rs.getString(1))).list();
    }

    @Override
    public int countRememberable(UUID owner) {
        return jdbc.sql(COUNT_REMEMBERABLE).param("owner", owner).query(Long.class).single().intValue();
    }

    boolean edit(UUID owner, UUID id, String content, Instant now) {
        return jdbc.sql(EDIT).param("content", content).param("now", now.toEpochMilli()).param("id", id)
                .param("owner", owner).update() == 1;
    }

    void setActiveLeaf(UUID owner, UUID chatId, UUID leafId) {
        jdbc.sql("UPDATE chats SET active_leaf_id = :leafId WHERE id = :chatId AND user_id = :owner")
                .param("leafId", leafId).param("chatId", chatId).param("owner", owner).update();
    }

    void afterDelete(UUID owner, UUID chatId, int deleted, Instant now) {
        jdbc.sql("""
                UPDATE chats SET message_count = message_count - :deleted, updated_at = :now
                 WHERE id = :chatId AND user_id = :owner
                """).param("deleted", deleted).param("now", now.toEpochMilli())
                .param("chatId", chatId).param("owner", owner).update();
    }
}
