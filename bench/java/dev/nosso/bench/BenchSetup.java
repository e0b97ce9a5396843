package dev.nosso.bench;

import dev.nosso.chat.Messages;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.NewMessage;
import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server on a fresh database for a benchmark: SQLite by default, PostgreSQL with
 * {@code -Dbench.db=postgresql} (and {@code NOSSO_TEST_POSTGRES_URL}); with {@code -Dbench.redis=redis://host:6379}, live
 * answers are also shared through that Redis, as when several nodes run.
 */
public final class BenchSetup implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    public final TestDatabase database;
    public final TestServer server;

    public BenchSetup() {
        this(Map.of());
    }

    public BenchSetup(Map<String, Object> settings) {
        this(TestDatabase.fresh(Dialect.valueOf(System.getProperty("bench.db", "sqlite").toUpperCase(Locale.ROOT))),
                settings);
    }

    /** The real server on {@code database}, which this closes. */
    public BenchSetup(TestDatabase database, Map<String, Object> settings) {
        this.database = database;
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.putIfAbsent("logging.level.dev.nosso", "warn");
        // One bench user sends hundreds of messages a minute and runs up to a thousand answers at once: the
        // per-user limits (issue 19) would refuse them, and their checks are not what these benches measure.
        all.putIfAbsent("nosso.quotas.running-answers", "0");
        all.putIfAbsent("nosso.quotas.messages-per-minute", "0");
        String redis = System.getProperty("bench.redis", "");
        if (!redis.isBlank()) { // answers shared through Redis as with several nodes: what it costs one node
            all.put("nosso.cluster.redis-url", redis);
            all.put("nosso.cluster.redis-prefix", "nosso-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":");
        }
        server = TestServer.start(database, all);
    }

    /**
     * A new user, with memory of past chats on as by default, or off with {@code -Dbench.memory=off}: then no
     * turn leaves embedding jobs behind that run during the next sample, as they do when turns follow each other
     * within milliseconds (a person reads an answer for seconds before the next question).
     */
    public ApiClient newUser() {
        ApiClient user = server.newUser();
        if ("off".equals(System.getProperty("bench.memory", "on"))) {
            user.patch("/api/v1/preferences", Map.of("memory", false)).expect(200);
        }
        return user;
    }

    public String dialect() {
        return database.toString();
    }

    public UUID userId(ApiClient user) {
        return UUID.fromString(user.get("/api/v1/auth/me").expect(200).text("/id"));
    }

    public String newChat(ApiClient user) {
        return user.post("/api/v1/chats", Map.of("title", "bench")).expect(201).text("/id");
    }

    /** Fills a chat quickly through the service (the HTTP path is what gets measured afterwards). */
    public void seed(UUID owner, String chat, int count) {
        Messages messages = server.context().getBean(Messages.class);
        for (int i = 0; i < count; i++) {
            messages.append(owner, UUID.fromString(chat), NewMessage.of(i % 2 == 0 ? MessageRole.USER
                    : MessageRole.ASSISTANT, "seed message " + i + " with a little text to make it realistic", null));
        }
    }

    /**
     * Brings PostgreSQL's statistics up to date after seeding, as autovacuum does within a minute or two of a
     * large insert; without them its plans assume a table of unknown shape. SQLite needs nothing.
     */
    public void analyze() {
        if (database.dialect() == Dialect.POSTGRESQL) {
            server.context().getBean(org.springframework.jdbc.core.simple.JdbcClient.class).sql("ANALYZE").update();
        }
    }

    public static void print(Map<String, Object> result) {
        System.out.println("BENCH " + JSON.writeValueAsString(result));
    }

    @Override
    public void close() {
        server.close();
        database.close();
    }
}
