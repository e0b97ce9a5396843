package dev.nosso.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * copy-to-postgres on a real SQLite file and a fresh PostgreSQL schema per test (from
 * {@code NOSSO_TEST_POSTGRES_URL}; skipped without it unless {@code NOSSO_REQUIRE_POSTGRES=1}).
 */
class CopyToPostgresTest {

    // Message text the command must never print, whatever happens.
    private static final String PRIVATE_TEXT = "PRIVATE-TEXT";
    private static final long T0 = 1_700_000_000_123L;

    private TestDatabase sqlite;
    private TestDatabase postgres;
    private String sqliteFile;
    private int messageCount;

    @BeforeEach
    void createPopulatedSqliteFile() throws SQLException {
        sqlite = TestDatabase.fresh(Dialect.SQLITE);
        sqliteFile = sqlite.dataDir().resolve("nosso.db").toString();
        messageCount = populate(sqlite.url(), new Random(42));
    }

    @AfterEach
    void dropDatabases() {
        if (postgres != null) {
            postgres.close();
        }
        sqlite.close();
    }

    @Test
    void copiesEveryRowWithItsIdsAndTimestampsIntoTheUrlsSchemaAndVerifies() throws SQLException {
        Result result = copy(sqliteFile, postgres().url());

        assertThat(result.exitCode()).as(result.output()).isZero();
        // Every table, whatever their number as migrations add more.
        assertThat(result.output()).containsPattern("Verified: \\d+ tables").doesNotContain("MISMATCH");
        assertThat(result.output()).doesNotContain(PRIVATE_TEXT);
        assertThat(rows(sqlite.url(), "SELECT id, chat_id, parent_id, depth, created_at, updated_at FROM messages ORDER BY id"))
                .hasSize(messageCount)
                .isEqualTo(rows(postgres.url(), "SELECT id, chat_id, parent_id, depth, created_at, updated_at FROM messages ORDER BY id"));
        assertThat(rows(postgres.url(), "SELECT name, pinned::text, archived::text FROM users u JOIN chats c ON c.user_id = u.id ORDER BY u.email"))
                .containsExactly(List.of("Ålice 🦊 Ünïcode", "true", "false"), List.of("Bob \"quoted\" O'Brien", "false", "true"));
        assertThat(rows(postgres.url(), "SELECT last_used_at, revoked_at FROM api_keys ORDER BY name"))
                .containsExactly(List.of(String.valueOf(T0 + 5), "null"), List.of("null", String.valueOf(T0 + 6)));
        // The generated search vectors fill themselves from the copied text.
        assertThat(rows(postgres.url(), "SELECT count(*) FROM messages WHERE search @@ to_tsquery('simple', 'açaí')"))
                .containsExactly(List.of(String.valueOf(messageCount)));
        assertThat(indexes(postgres.url())).isEqualTo(indexesOfAFreshSchema());
        assertThat(rows(postgres.url(), "SELECT count(*) FROM chunks WHERE embedding_model = 'bge-small-en-v15-q'"))
                .containsExactly(List.of("3"));
        assertThat(rows(postgres.url(), """
                SELECT count(*) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name IN ('users', 'messages', 'chat_tags')"""))
                .containsExactly(List.of("3"));
    }

    @Test
    void aCopyStoppedHalfWayFinishesWhenRunAgain() throws SQLException {
        String target = postgres().url();
        Result stopped = copy(sqliteFile, target, (table, rows) -> {
            if (table.name().equals("messages") && rows >= 21) {
                throw new SQLException("simulated crash");
            }
        }, "--batch-size", "7");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.output()).contains("Stopped: simulated crash", "run the same command again");
        assertThat(count(target, "messages")).isEqualTo(21);
        assertThat(count(target, "chat_tags")).isZero();
        // The copy builds a table's indexes once its rows are in: those of the interrupted table are still to come.
        assertThat(rows(target, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))
                .doesNotContain(List.of("messages_search")).contains(List.of("chunks_embedding_384_half"));

        Result resumed = copy(sqliteFile, target, "--batch-size", "7");

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("from an earlier run: copying the rest")
                .containsPattern("Verified: \\d+ tables");
        assertThat(count(target, "messages")).isEqualTo(messageCount);
        assertThat(indexes(target)).isEqualTo(indexesOfAFreshSchema());
    }

    @Test
    void messagesLostFromTheTargetAreCopiedAgain() throws SQLException {
        String target = postgres().url();
        assertThat(copy(sqliteFile, target).exitCode()).isZero();
        execute(target, "DELETE FROM messages WHERE depth >= 2");
        assertThat(count(target, "messages")).isLessThan(messageCount);

        Result again = copy(sqliteFile, target, "--batch-size", "5");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(count(target, "messages")).isEqualTo(messageCount);
        // Tables that already held rows kept their indexes: filling in a few rows rebuilds none of them.
        assertThat(again.output()).doesNotContainPattern("(messages|chats|users) +\\d+ indexes built");
        assertThat(indexes(target)).isEqualTo(indexesOfAFreshSchema());
    }

    @Test
    void aTargetHoldingSomeoneElsesRowsIsRefusedBeforeAnythingIsWritten() throws SQLException {
        String target = postgres().url();
        TestDatabase other = TestDatabase.fresh(Dialect.SQLITE);
        try {
            populate(other.url(), new Random(7));
            assertThat(copy(other.dataDir().resolve("nosso.db").toString(), target).exitCode()).isZero();
        } finally {
            other.close();
        }
        long before = count(target, "messages");

        Result refused = copy(sqliteFile, target);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("Refused: the target already holds ", "point it at an empty database")
                .doesNotContain(PRIVATE_TEXT);
        assertThat(count(target, "messages")).isEqualTo(before);
    }

    @Test
    void aTargetRowThatDiffersFromTheSourceFailsVerification() throws SQLException {
        String target = postgres().url();
        assertThat(copy(sqliteFile, target).exitCode()).isZero();
        execute(target, "UPDATE messages SET content = 'changed' WHERE depth = 1");
        execute(target, "UPDATE users SET updated_at = updated_at + 1");

        Result again = copy(sqliteFile, target);

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).containsPattern("messages +\\d+ +\\d+  MISMATCH: same count, different rows")
                .containsPattern("users +2 +2  MISMATCH")
                .containsPattern("folders +1 +1  OK [0-9a-f]{16}")
                .contains("Verification FAILED");
    }

    @Test
    void aSqliteFileFromANewerNossoIsRefused() throws SQLException {
        execute(sqlite.url(), """
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                                                   installed_by, installed_on, execution_time, success)
                VALUES (99, '999', 'from the future', 'SQL', 'V999__from_the_future.sql', 0, 'test',
                        '2030-01-01 00:00:00', 0, 1)""");

        Result refused = copy(sqliteFile, postgres().url());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("Refused: SQLite has schema versions 999, newer than this Nosso knows");
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithTwo() {
        Result missing = run(new String[] {"copy-to-postgres", "--from", sqliteFile});
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("--from and --to are required", "usage: copy-to-postgres");

        Result notPostgres = run(new String[] {"--from", sqliteFile, "--to", "jdbc:mysql://db/x"});
        assertThat(notPostgres.exitCode()).isEqualTo(2);

        Result noFile = run(new String[] {"--from", sqliteFile + ".missing", "--to", "jdbc:postgresql://db/x"});
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.output()).contains("No SQLite file at");
    }

    // ---- the source: every table, unicode, nulls, booleans and a branching tree several levels deep

    /** Fills a freshly migrated SQLite file; returns the number of messages. */
    private static int populate(String url, Random random) throws SQLException {
        Flyway.configure().dataSource(url, null, null).locations(Migrations.SQLITE).load().migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            String alice = uuid(random);
            String bob = uuid(random);
            insert(c, "INSERT INTO users VALUES (?, ?, ?, ?, 'admin', 'active', ?, ?)",
                    alice, "alice@example.org", "Ålice 🦊 Ünïcode", "$2a$10$hash", T0, T0 + 1);
            insert(c, "INSERT INTO users VALUES (?, ?, ?, ?, 'pending', 'suspended', ?, ?)",
                    bob, "bob@example.org", "Bob \"quoted\" O'Brien", "$2a$10$other", T0, T0);
            // Setting names sort differently by bytes and by a language's collation: checksums must agree anyway.
            for (String name : List.of("signup.enabled", "Zeta", "alpha", "Ärger", "émoji-😀")) {
                insert(c, "INSERT INTO settings VALUES (?, ?, ?)", name, "value of " + name, T0);
            }
            String folder = uuid(random);
            insert(c, "INSERT INTO folders VALUES (?, ?, ?, ?, ?)", folder, alice, "Wörk", T0, T0);
            String aliceChat = uuid(random);
            String bobChat = uuid(random);
            insert(c, "INSERT INTO chats (id, user_id, title, folder_id, pinned, archived, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, 1, 0, ?, ?)", aliceChat, alice, "Plans 🗺️", folder, T0, T0 + 2);
            insert(c, "INSERT INTO chats (id, user_id, title, folder_id, pinned, archived, created_at, updated_at) "
                    + "VALUES (?, ?, ?, NULL, 0, 1, ?, ?)", bobChat, bob, "naïve café", T0, T0 + 3);
            int messages = tree(c, aliceChat, random) + tree(c, bobChat, random);
            String work = uuid(random);
            String home = uuid(random);
            insert(c, "INSERT INTO tags VALUES (?, ?, ?, ?)", work, alice, "work", T0);
            insert(c, "INSERT INTO tags VALUES (?, ?, ?, ?)", home, alice, "日本語", T0);
            insert(c, "INSERT INTO chat_tags VALUES (?, ?)", aliceChat, work);
            insert(c, "INSERT INTO chat_tags VALUES (?, ?)", aliceChat, home);
            insert(c, "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)", uuid(random), alice, "token-a", T0, T0 + 9, T0 + 4);
            insert(c, "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)", uuid(random), bob, "token-b", T0, T0 + 9, T0);
            insert(c, "INSERT INTO api_keys VALUES (?, ?, 'cli', 'nk_a', 'hash-a', ?, ?, NULL)", uuid(random), alice, T0, T0 + 5);
            insert(c, "INSERT INTO api_keys VALUES (?, ?, 'old', 'nk_b', 'hash-b', ?, NULL, ?)", uuid(random), bob, T0, T0 + 6);
            // Memory chunks with their embeddings: float32 BLOBs here, pgvector's vector there.
            for (int k = 0; k < 3; k++) {
                insert(c, """
                        INSERT INTO chunks (id, user_id, source_kind, source_id, source_name, chat_id, ordinal,
                                            heading_path, text, token_count, embedding_model, embedding, created_at)
                        VALUES (?, ?, 'message', ?, ?, ?, ?, '', ?, 9, 'bge-small-en-v15-q', ?, ?)""",
                        uuid(random), alice, uuid(random), "Plans 🗺️", aliceChat, k, PRIVATE_TEXT + " açaí " + k,
                        embedding(random), T0 + k);
            }
            c.commit();
            return messages;
        }
    }

    // Random (not time-ordered) ids, so that id order is not parent order and only depth-first copying works.
    private static int tree(Connection c, String chat, Random random) throws SQLException {
        List<String> level = List.of(message(c, chat, null, 0, random));
        int count = 1;
        String leaf = level.get(0);
        for (int depth = 1; depth <= 5; depth++) {
            List<String> next = new ArrayList<>();
            for (String parent : level) {
                for (int i = random.nextInt(1, 4); i > 0 && next.size() < 25; i--) {
                    next.add(message(c, chat, parent, depth, random));
                }
            }
            count += next.size();
            leaf = next.get(next.size() - 1);
            level = next;
        }
        insert(c, "UPDATE chats SET active_leaf_id = ?, message_count = ? WHERE id = ?", leaf, count, chat);
        return count;
    }

    private static String message(Connection c, String chat, String parent, int depth, Random random)
            throws SQLException {
        String id = uuid(random);
        boolean user = depth % 2 == 0;
        boolean failed = random.nextInt(5) == 0;
        insert(c, """
                INSERT INTO messages (id, chat_id, parent_id, depth, role, content, model, status, error, usage,
                                      sources, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, chat, parent, depth, user ? "user" : "assistant",
                PRIVATE_TEXT + " açaí " + depth + "\nline two — \"quotes\" 'single' ✓ 🦊",
                user ? null : "llama3", failed ? "error" : "complete", failed ? "upstream 502" : null,
                user ? null : "{\"prompt_tokens\":12}", null, T0 + depth * 1000L, T0 + depth * 1000L + 7);
        return id;
    }

    private static byte[] embedding(Random random) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(384 * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 384; i++) {
            bytes.putFloat(i == 0 ? -0.0f : i == 1 ? Float.MIN_VALUE : (float) random.nextGaussian() / 20);
        }
        return bytes.array();
    }

        private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static void insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    // ---- running the command and reading both sides

    private TestDatabase postgres() {
        postgres = TestDatabase.fresh(Dialect.POSTGRESQL);
        return postgres;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result copy(String from, String to, String... options) {
        return copy(from, to, (table, rows) -> { }, options);
    }

    private static Result copy(String from, String to, RowCopier.BatchCommitted hook, String... options) {
        List<String> args = new ArrayList<>(List.of("copy-to-postgres", "--from", from, "--to", to));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new), hook);
    }

    private static Result run(String[] args) {
        return run(args, (table, rows) -> { });
    }

    private static Result run(String[] args, RowCopier.BatchCommitted hook) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = CopyToPostgres.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), hook);
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        return new Result(code, output);
    }

    private static List<List<String>> rows(String url, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(rs.getString(i)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The schema's indexes with their definitions (schema name left out), and any comment left on a table. */
    private static List<List<String>> indexes(String url) throws SQLException {
        return rows(url, """
                SELECT tablename, indexname, replace(indexdef, current_schema() || '.', ''),
                       obj_description((current_schema() || '.' || tablename)::regclass, 'pg_class')
                  FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname""");
    }

    private static List<List<String>> indexesOfAFreshSchema() throws SQLException {
        TestDatabase fresh = TestDatabase.fresh(Dialect.POSTGRESQL);
        try {
            Flyway.configure().dataSource(fresh.url(), null, null).locations(Migrations.POSTGRESQL).load().migrate();
            return indexes(fresh.url());
        } finally {
            fresh.close();
        }
    }

    private static long count(String url, String table) throws SQLException {
        return Long.parseLong(rows(url, "SELECT count(*) FROM " + table).get(0).get(0));
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
