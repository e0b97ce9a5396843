package dev.nosso.copy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A SQLite file in Nosso's schema as a long-lived server leaves it: several users, chats of very different
 * lengths, a message tree with regenerated answers and edited questions, text of realistic lengths, every
 * finished message remembered as chunks with a 384-number embedding, and some files with their chunks. The
 * vectors are random unit vectors (running the embedding model a million times would measure the model, not
 * the copy). Written through plain JDBC batches, a transaction per few thousand rows, FTS5 triggers included.
 */
final class CopySeed {

    static final String MODEL = "bge-small-en-v15-q";
    static final int DIMENSIONS = 384;
    private static final int USERS = 12;
    private static final int CHUNK_CHARS = 1_000; // about 250 tokens, as the chunker cuts
    private static final int ROWS_PER_TRANSACTION = 5_000;
    private static final long T0 = 1_735_689_600_000L; // 2025-01-01

    private final SplittableRandom random;
    private final String[] words;
    private long clock = T0;
    private long idSeq;

    record Counts(long users, long chats, long messages, long branches, long chunks, long files, long textBytes) {
    }

    private CopySeed(long seed) {
        random = new SplittableRandom(seed);
        words = vocabulary();
    }

    /** Migrates the file to the current schema and fills it with about {@code messages} messages. */
    static Counts seed(String sqliteUrl, int messages, long seed) throws SQLException, CopyRefused {
        Migrations.bringUpToDate("SQLite", sqliteUrl, null, null, Migrations.SQLITE);
        try (Connection c = DriverManager.getConnection(sqliteUrl)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous = OFF");
                s.execute("PRAGMA cache_size = -200000");
            }
            c.setAutoCommit(false);
            return new CopySeed(seed).fill(c, messages);
        }
    }

    private Counts fill(Connection c, int target) throws SQLException {
        List<UUID> users = new ArrayList<>();
        long chats = 0, messages = 0, branches = 0, chunks = 0, files = 0, textBytes = 0;
        try (PreparedStatement user = c.prepareStatement("""
                     INSERT INTO users (id, email, name, password_hash, role, status, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, 'active', ?, ?)""");
             PreparedStatement prefs = c.prepareStatement(
                     "INSERT INTO user_preferences (user_id, system_prompt, updated_at, memory) VALUES (?, ?, ?, 1)");
             PreparedStatement folder = c.prepareStatement(
                     "INSERT INTO folders (id, user_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement tag = c.prepareStatement(
                     "INSERT INTO tags (id, user_id, name, created_at) VALUES (?, ?, ?, ?)");
             PreparedStatement chatTag = c.prepareStatement("INSERT INTO chat_tags (chat_id, tag_id) VALUES (?, ?)");
             PreparedStatement chat = c.prepareStatement("""
                     INSERT INTO chats (id, user_id, title, folder_id, pinned, archived, active_leaf_id, message_count,
                                        created_at, updated_at, model, memory)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)""");
             PreparedStatement message = c.prepareStatement("""
                     INSERT INTO messages (id, chat_id, parent_id, depth, role, content, model, status, usage,
                                           sources, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement chunk = c.prepareStatement("""
                     INSERT INTO chunks (id, user_id, source_kind, source_id, source_name, chat_id, ordinal,
                                         heading_path, text, token_count, embedding_model, embedding, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement file = c.prepareStatement("""
                     INSERT INTO files (id, user_id, name, media_type, size, sha256, storage_key, status, chat_id,
                                        created_at, updated_at)
                     VALUES (?, ?, ?, 'application/pdf', ?, ?, ?, 'ready', ?, ?, ?)""");
             PreparedStatement versions = c.prepareStatement(
                     "INSERT INTO chunk_versions (user_id, version) VALUES (?, ?)")) {
            List<List<String>> folders = new ArrayList<>();
            List<List<String>> tags = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                UUID id = nextId();
                users.add(id);
                long now = tick(1000);
                bind(user, id.toString(), "user" + u + "@example.org", "User " + u,
                        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", u == 0 ? "admin" : "user", now, now);
                user.executeUpdate();
                bind(prefs, id.toString(), u % 3 == 0 ? "Answer briefly." : null, now);
                prefs.executeUpdate();
                List<String> fs = new ArrayList<>();
                for (int f = 0; f < 4; f++) {
                    String fid = nextId().toString();
                    bind(folder, fid, id.toString(), "Folder " + f, now, now);
                    folder.executeUpdate();
                    fs.add(fid);
                }
                folders.add(fs);
                List<String> ts = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    String tid = nextId().toString();
                    bind(tag, tid, id.toString(), "tag" + t, now);
                    tag.executeUpdate();
                    ts.add(tid);
                }
                tags.add(ts);
            }
            int pending = 0;
            while (messages < target) {
                int u = random.nextInt(USERS);
                String owner = users.get(u).toString();
                String chatId = nextId().toString();
                String title = sentence(3, 8);
                int size = (int) Math.min(target - messages, chatSize());
                long created = tick(60_000);
                // The message tree: mostly a line of turns; some answers regenerated and some questions edited,
                // each a sibling of the message it replaces, and the newest branch active.
                List<String> ids = new ArrayList<>(size);
                List<Integer> depths = new ArrayList<>(size);
                List<Integer> parents = new ArrayList<>(size);
                String leaf = null;
                for (int i = 0; i < size; i++) {
                    boolean assistant = i % 2 == 1;
                    int parent = i - 1;
                    if (i >= 2 && random.nextInt(100) < (assistant ? 5 : 2)) {
                        parent = parents.get(i - 2); // a sibling of the message two back, same role
                        branches++;
                    }
                    String id = nextId().toString();
                    int depth = parent < 0 ? 0 : depths.get(parent) + 1;
                    ids.add(id);
                    depths.add(depth);
                    parents.add(parent);
                    leaf = id;
                }
                long last = created;
                // The chat row first: its messages reference it.
                String folderId = random.nextInt(4) == 0 ? folders.get(u).get(random.nextInt(4)) : null;
                bind(chat, chatId, owner, title, folderId, random.nextInt(20) == 0 ? 1 : 0,
                        random.nextInt(10) == 0 ? 1 : 0, leaf, size, created, created + size * 30_000L,
                        random.nextInt(3) == 0 ? "llama3.1:8b" : null);
                chat.executeUpdate();
                if (random.nextInt(5) == 0) {
                    bind(chatTag, chatId, tags.get(u).get(random.nextInt(6)));
                    chatTag.executeUpdate();
                }
                chats++;
                for (int i = 0; i < size; i++) {
                    boolean assistant = i % 2 == 1;
                    String content = assistant ? text(900, 8_000) : text(140, 2_000);
                    textBytes += content.length();
                    long at = (last += 1_000 + random.nextInt(60_000));
                    int parent = parents.get(i);
                    bind(message, ids.get(i), chatId, parent < 0 ? null : ids.get(parent), depths.get(i),
                            assistant ? "assistant" : "user", content, assistant ? "llama3.1:8b" : null, "complete",
                            assistant ? "{\"promptTokens\":" + (200 + random.nextInt(4000)) + ",\"completionTokens\":"
                                    + content.length() / 4 + "}" : null,
                            assistant && random.nextInt(8) == 0
                                    ? "[{\"n\":1,\"kind\":\"message\",\"id\":\"" + ids.get(0) + "\"}]" : null,
                            at, at);
                    message.addBatch();
                    messages++;
                    // Memory of past chats: every finished message, cut into chunks.
                    for (int k = 0, from = 0; from < content.length(); k++, from += CHUNK_CHARS) {
                        String piece = content.substring(from, Math.min(content.length(), from + CHUNK_CHARS));
                        bind(chunk, nextId().toString(), owner, "message", ids.get(i), title, chatId, k, "",
                                piece, piece.length() / 4, MODEL, vector(), at);
                        chunk.addBatch();
                        chunks++;
                        pending++;
                    }
                    pending++;
                }
                // Now and then a file uploaded in the chat, chunked too.
                if (random.nextInt(40) == 0) {
                    String fileId = nextId().toString();
                    String sha = String.format("%064x", random.nextLong() & Long.MAX_VALUE);
                    bind(file, fileId, owner, "report-" + files + ".pdf", 50_000 + random.nextInt(500_000), sha,
                            sha, chatId, created, created);
                    file.executeUpdate();
                    files++;
                    int parts = 5 + random.nextInt(40);
                    for (int k = 0; k < parts; k++) {
                        String piece = text(CHUNK_CHARS - 100, CHUNK_CHARS);
                        bind(chunk, nextId().toString(), owner, "file", fileId, "report-" + files + ".pdf", null,
                                k, "Section " + (k / 5 + 1) + " > Part " + (k % 5 + 1), piece, piece.length() / 4,
                                MODEL, vector(), created);
                        chunk.addBatch();
                        chunks++;
                        pending++;
                    }
                }
                if (pending >= ROWS_PER_TRANSACTION) {
                    message.executeBatch();
                    chunk.executeBatch();
                    c.commit();
                    pending = 0;
                }
            }
            message.executeBatch();
            chunk.executeBatch();
            for (UUID u : users) {
                bind(versions, u.toString(), 1);
                versions.executeUpdate();
            }
            c.commit();
        }
        return new Counts(users.size(), chats, messages, branches, chunks, files, textBytes);
    }

    // Most chats are short, some long, a few very long: 2-20 (70 %), 20-150 (25 %), 150-3,000 (5 %).
    private long chatSize() {
        int p = random.nextInt(100);
        if (p < 70) {
            return 2 + random.nextInt(19);
        }
        if (p < 95) {
            return 20 + random.nextInt(131);
        }
        return 150 + (long) (2_850 * Math.pow(random.nextDouble(), 3));
    }

    // Log-normal lengths around a median, capped: questions are short, answers long with a long tail.
    private String text(int median, int max) {
        double gaussian = nextGaussian();
        int length = (int) Math.min(max, Math.max(8, median * Math.exp(0.8 * gaussian)));
        StringBuilder b = new StringBuilder(length + 16);
        while (b.length() < length) {
            if (b.length() > 0) {
                b.append(random.nextInt(14) == 0 ? ". " : random.nextInt(60) == 0 ? "\n\n" : " ");
            }
            b.append(words[random.nextInt(words.length)]);
        }
        b.setLength(length);
        return b.toString();
    }

    private String sentence(int min, int max) {
        int n = min + random.nextInt(max - min + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
        }
        return b.toString();
    }

    private double nextGaussian() {
        // Box-Muller; SplittableRandom has no Gaussian of its own before JDK 17's RandomGenerator default.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private byte[] vector() {
        float[] v = new float[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        ByteBuffer bytes = ByteBuffer.allocate(DIMENSIONS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            bytes.putFloat(x * scale);
        }
        return bytes.array();
    }

    // UUIDv7 from the seed's own clock, so that ids are time-ordered as the server makes them.
    private UUID nextId() {
        long millis = tick(1);
        long msb = (millis << 16) | (0x7L << 12) | (idSeq++ & 0xFFF);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private long tick(int maxStep) {
        clock += 1 + random.nextInt(maxStep);
        return clock;
    }

    private String[] vocabulary() {
        String[] syllables = {"ka", "lo", "ri", "the", "an", "sel", "mo", "tu", "ver", "qua", "in", "pro", "da", "ble",
            "con", "ex", "ion", "ment", "al", "er", "pos", "gres", "vec", "tor", "chat", "me", "ça", "ná", "ü", "ber"};
        String[] result = new String[3_000];
        for (int i = 0; i < result.length; i++) {
            StringBuilder w = new StringBuilder();
            int n = 1 + random.nextInt(4);
            for (int s = 0; s < n; s++) {
                w.append(syllables[random.nextInt(syllables.length)]);
            }
            result[i] = w.toString();
        }
        return result;
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }
}
