package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.LoadState;
import dev.nosso.bench.BenchSetup;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Browser;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.SseStream;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What opening a chat page and one turn ask of PostgreSQL, counted as the database sees it: the server runs on
 * a database of its own with {@code log_statement = 'all'}, and the statements are the lines that PostgreSQL's
 * log gains for that database during the measured window (every {@code BEGIN}, {@code COMMIT}, query and the
 * pool's empty validity checks), by kind. Also the API calls the page made (Playwright's requests under
 * {@code /api/}).
 * <ul>
 *   <li>Page load: Debian's Chromium, signed in, opens a chat of 200 messages, and one of 10,000, with a sidebar
 *       of 40 chats (3 pinned, in a folder, tagged); warm: after one unmeasured opening of the same chat in the
 *       same profile. The window ends when the composer is usable, the last message shows and the network
 *       has been idle for 500 ms.</li>
 *   <li>Turn: {@code POST /api/v1/chats/{id}/messages} in a chat of 200 messages with a scripted upstream, and
 *       the answer's stream until {@code done}, after one unmeasured turn; the window ends 500 ms after it.</li>
 * </ul>
 * Background work is part of a window if it happens then: the node's heartbeat (every 2 s) and the job workers'
 * polls; the bench makes both rare ({@code nosso.cluster.heartbeat}, {@code nosso.jobs.poll-interval}) so that
 * what is counted is the page's and the turn's.
 * {@code ./mvnw -Pbench test -Dtest=PageLoadStatementsBench} with {@code NOSSO_TEST_POSTGRES_URL} (a superuser)
 * and read access to the server's log ({@code -Dbench.pglog=}, default Debian's
 * {@code /var/log/postgresql/postgresql-15-main.log}); needs {@code /usr/bin/chromium}.
 */
class PageLoadStatementsBench {

    private static final Path LOG = Path.of(System.getProperty("bench.pglog", "/var/log/postgresql/postgresql-15-main.log"));
    private static final Pattern STATEMENT = Pattern.compile("@(\\S+) LOG:  (?:statement|execute [^:]*): ?(.*)$");
    private static final int ROUNDS = 3;

    @Test
    void pageLoadAndTurn() throws Exception {
        if (!Files.isReadable(LOG)) {
            throw new AssertionError("Cannot read PostgreSQL's log at " + LOG + " (set -Dbench.pglog=)");
        }
        TestDatabase database = TestDatabase.ownPostgres("ALTER DATABASE {database} SET log_statement = 'all'");
        try (ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("quick");
            upstream.reply("quick", Script.tokens("Hello", " there", ",", " how", " can", " I", " help", "?"));
            try (BenchSetup bench = new BenchSetup(database, Map.of(
                    "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false",
                    "nosso.cluster.heartbeat", "1h", "nosso.cluster.lease", "3h",
                    "nosso.jobs.poll-interval", "1h"));
                 Browser browser = Browser.launch()) {
                ApiClient user = bench.server.newUser();
                UUID owner = bench.userId(user);
                String email = user.get("/api/v1/auth/me").expect(200).text("/email");
                user.patch("/api/v1/preferences", Map.of("memory", false)).expect(200);
                sidebar(user);
                String of200 = bench.newChat(user);
                bench.seed(owner, of200, 200);
                String of10000 = bench.newChat(user);
                bench.seed(owner, of10000, 10_000);
                String turnChat = bench.newChat(user);
                bench.seed(owner, turnChat, 200);
                dropSeedJobs(bench);
                bench.analyze();

                String session = signIn(browser, bench, email);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("bench", "page-load-statements");
                result.put("database", "postgresql");
                result.put("counted", "statements PostgreSQL logged for the server's database (log_statement = all), "
                        + "BEGIN/COMMIT and empty pool checks included; API calls = the page's requests under /api/");
                result.put("open_chat_of_200", pageLoad(browser, bench, database, session, of200, 200));
                result.put("open_chat_of_10000", pageLoad(browser, bench, database, session, of10000, 10_000));
                result.put("turn_in_chat_of_200", turn(user, database, turnChat));
                result.put("goal", Map.of("page_load", "at most 3 API calls and 10 statements, whatever the history length"));
                BenchSetup.print(result);
            }
        }
    }

    /** 40 other chats: 3 pinned, 5 in a folder, 4 tagged; the sidebar's lists and filter have something to show. */
    private static void sidebar(ApiClient user) {
        String folder = user.post("/api/v1/folders", Map.of("name", "Work")).expect(201).text("/id");
        for (int i = 0; i < 40; i++) {
            String chat = user.post("/api/v1/chats", Map.of("title", "Sidebar chat " + i)).expect(201).text("/id");
            if (i < 3) {
                user.patch("/api/v1/chats/" + chat, Map.of("pinned", true)).expect(200);
            } else if (i < 8) {
                user.patch("/api/v1/chats/" + chat, Map.of("folderId", folder)).expect(200);
            } else if (i < 12) {
                user.post("/api/v1/chats/" + chat + "/tags", Map.of("name", "idea")).expect(200);
            }
        }
    }

    /**
     * The seeded messages' memory jobs are dropped: memory is off for this user, so each would only read the
     * preference and end, by the thousand, during the measured windows.
     */
    private static void dropSeedJobs(BenchSetup bench) throws InterruptedException {
        JdbcClient jdbc = bench.server.context().getBean(JdbcClient.class);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (jdbc.sql("DELETE FROM jobs WHERE state = 'queued'").update() > 0
                || jdbc.sql("SELECT COUNT(*) FROM jobs WHERE state = 'running'").query(Long.class).single() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("jobs still running after 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static String signIn(Browser browser, BenchSetup bench, String email) {
        BrowserContext context = browser.newContext(bench.server.baseUrl());
        Page page = context.newPage();
        page.navigate("/signin");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(TestServer.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(url -> !url.contains("/signin"));
        String state = context.storageState();
        context.close();
        return state;
    }

    /** Opens the chat once unmeasured, then {@code ROUNDS} times measured, in one profile; the last round's figures. */
    private static Map<String, Object> pageLoad(Browser browser, BenchSetup bench, TestDatabase database, String session,
                                                String chatId, int lastLine) throws Exception {
        BrowserContext context = browser.newContext(new NewContextOptions()
                .setBaseURL(bench.server.baseUrl()).setStorageState(session));
        Page page = context.newPage();
        List<String> calls = new ArrayList<>();
        Consumer<Request> onRequest = request -> {
            String path = URI.create(request.url()).getRawPath();
            if (path.startsWith("/api/")) {
                synchronized (calls) {
                    calls.add(request.method() + " " + URI.create(request.url()).getRawPath()
                            + (URI.create(request.url()).getRawQuery() == null ? "" : "?" + URI.create(request.url()).getRawQuery()));
                }
            }
        };
        page.onRequest(onRequest);
        open(page, chatId, lastLine);
        Map<String, Object> figures = null;
        List<Long> statementCounts = new ArrayList<>();
        List<Integer> callCounts = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            page.navigate("about:blank");
            Thread.sleep(300);
            synchronized (calls) {
                calls.clear();
            }
            long from = Files.size(LOG);
            open(page, chatId, lastLine);
            Thread.sleep(500); // late requests (a second page of the sidebar, say) and the log's last lines
            List<String> statements = statementsSince(from, database.name());
            figures = new LinkedHashMap<>();
            synchronized (calls) {
                figures.put("api_calls", calls.size());
                figures.put("api_call_list", List.copyOf(calls));
                callCounts.add(calls.size());
            }
            figures.put("statements", statements.size());
            figures.put("statements_by_kind", byKind(statements));
            figures.put("statement_list", bySql(statements));
            statementCounts.add((long) statements.size());
        }
        figures.put("api_calls_per_round", callCounts);
        figures.put("statements_per_round", statementCounts);
        context.close();
        return figures;
    }

    private static void open(Page page, String chatId, int lastLine) {
        page.navigate("/c/" + chatId);
        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).isEditable();
        Locator messages = page.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Messages"));
        assertThat(messages.getByText("seed message " + (lastLine - 1) + " ", new Locator.GetByTextOptions().setExact(false)))
                .isInViewport();
        page.waitForLoadState(LoadState.NETWORKIDLE);
    }

    /** One REST turn after an unmeasured one: the POST and the answer's stream until done. */
    private static Map<String, Object> turn(ApiClient user, TestDatabase database, String chatId) throws Exception {
        oneTurn(user, chatId);
        Thread.sleep(1000);
        long from = Files.size(LOG);
        long postFrom = from;
        String answer = user.post("/api/v1/chats/" + chatId + "/messages", Map.of("content", "Hi", "model", "quick"))
                .expect(202).text("/assistantMessage/id");
        long afterPost = Files.size(LOG);
        try (SseStream stream = user.stream("/api/v1/messages/" + answer + "/stream")) {
            stream.untilEnd(Duration.ofSeconds(30));
        }
        Thread.sleep(500);
        List<String> post = statementsBetween(postFrom, afterPost, database.name());
        List<String> statements = statementsSince(from, database.name());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("statements", statements.size());
        figures.put("round_trips", roundTrips(statements));
        figures.put("statements_until_202", post.size());
        figures.put("statements_by_kind", byKind(statements));
        figures.put("statement_list", bySql(statements));
        return figures;
    }

    private static void oneTurn(ApiClient user, String chatId) {
        String answer = user.post("/api/v1/chats/" + chatId + "/messages", Map.of("content", "Hi", "model", "quick"))
                .expect(202).text("/assistantMessage/id");
        try (SseStream stream = user.stream("/api/v1/messages/" + answer + "/stream")) {
            stream.untilEnd(Duration.ofSeconds(30));
        }
    }

    /**
     * Round trips to the database: every statement but {@code BEGIN}, which PostgreSQL's JDBC driver sends in
     * the same message as the transaction's first statement.
     */
    private static long roundTrips(List<String> statements) {
        return statements.stream().filter(s -> !kind(s).equals("BEGIN")).count();
    }

    private static List<String> statementsSince(long from, String database) throws IOException {
        return statementsBetween(from, Files.size(LOG), database);
    }

    private static List<String> statementsBetween(long from, long to, String database) throws IOException {
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            bytes = new byte[(int) (to - from)];
            file.seek(from);
            file.readFully(bytes);
        }
        List<String> statements = new ArrayList<>();
        String current = null;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = STATEMENT.matcher(line);
            if (m.find() && m.group(1).equals(database)) {
                if (current != null) {
                    statements.add(current);
                }
                current = m.group(2);
            } else if (current != null && (line.startsWith("\t") || line.startsWith(" "))) {
                current = current + " " + line.strip(); // a statement's further lines
            } else if (current != null) {
                statements.add(current);
                current = null;
            }
        }
        if (current != null) {
            statements.add(current);
        }
        return statements;
    }

    private static String kind(String statement) {
        String s = statement.strip();
        if (s.isEmpty()) {
            return "(empty: the pool's validity check)";
        }
        String first = s.split("\\s+")[0].toUpperCase(java.util.Locale.ROOT);
        return first.equals("WITH") ? "WITH (SELECT)" : first;
    }

    private static Map<String, Integer> byKind(List<String> statements) {
        Map<String, Integer> kinds = new TreeMap<>();
        statements.forEach(s -> kinds.merge(kind(s), 1, Integer::sum));
        return kinds;
    }

    /** Each distinct statement's first 90 characters, with how many times it ran. */
    private static Map<String, Integer> bySql(List<String> statements) {
        Map<String, Integer> shapes = new LinkedHashMap<>();
        for (String s : statements) {
            String shape = s.strip().replaceAll("\\s+", " ");
            shapes.merge(shape.length() > 90 ? shape.substring(0, 90) + "…" : shape, 1, Integer::sum);
        }
        return shapes;
    }
}
