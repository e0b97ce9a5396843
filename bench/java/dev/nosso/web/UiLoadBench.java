package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.LoadState;
import dev.nosso.bench.BenchSetup;
import dev.nosso.bench.Stats;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Browser;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The web UI in Debian's Chromium against the real server on SQLite:
 * <ul>
 *   <li>the first load of a chat page: bytes transferred and the time until the composer is usable and the
 *       last message shows, with an empty cache (a new browser profile holding only the session) and with a
 *       warm one (the same profile opening the page again);</li>
 *   <li>opening a chat of 10,000 messages until its last message is visible, against a chat of 20 in the
 *       same run.</li>
 * </ul>
 * {@code ./mvnw -Pbench test -Dtest=UiLoadBench} (needs {@code /usr/bin/chromium}).
 */
class UiLoadBench {

    private static final int ROUNDS = 15;

    @Test
    void firstLoadAndLongChats() throws Exception {
        try (BenchSetup bench = new BenchSetup(); Browser browser = Browser.launch()) {
            ApiClient user = bench.server.newUser();
            String email = user.get("/api/v1/auth/me").expect(200).text("/email");
            // No memory jobs for the seeded messages: they would embed on the same two cores meanwhile.
            user.patch("/api/v1/preferences", Map.of("memory", false)).expect(200);
            String small = chat(user, 20);
            String large = chat(user, 10_000);
            awaitIdleJobs(bench);

            BrowserContext signedIn = browser.newContext(bench.server.baseUrl());
            Page signIn = signedIn.newPage();
            signIn.navigate("/signin");
            signIn.getByLabel("Email").fill(email);
            signIn.getByLabel("Password").fill(TestServer.PASSWORD);
            signIn.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            signIn.waitForURL(url -> !url.contains("/signin"));
            String session = signedIn.storageState();
            signedIn.close();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "ui-load");
            result.put("database", bench.dialect());
            result.put("first_load_cold", load(browser, bench, session, small, 20, true));
            result.put("first_load_warm", load(browser, bench, session, small, 20, false));
            result.put("open_chat_of_20", load(browser, bench, session, small, 20, false).get("time_to_usable"));
            result.put("open_chat_of_10000", load(browser, bench, session, large, 10_000, false).get("time_to_usable"));
            result.put("goal", Map.of("first_load_bytes", "well under 500 KB",
                    "open_10000", "its latest messages at once"));
            BenchSetup.print(result);
        }
    }

    /**
     * Opens the chat {@code ROUNDS} times (after one unmeasured opening) and measures, from the navigation
     * until the composer is editable and the chat's last message is visible: the time, and the bytes the
     * page transferred. Cold: a new profile each time, holding only the session cookie. Warm: one profile.
     */
    private static Map<String, Object> load(Browser browser, BenchSetup bench, String session, String chatId,
                                            int lastLine, boolean cold) {
        long[] nanos = new long[ROUNDS];
        long[] bytes = new long[ROUNDS];
        BrowserContext warm = cold ? null : browser.newContext(new NewContextOptions()
                .setBaseURL(bench.server.baseUrl()).setStorageState(session));
        Page warmPage = warm == null ? null : warm.newPage();
        if (warmPage != null) {
            open(warmPage, chatId, lastLine); // fills the cache
        }
        for (int i = -1; i < ROUNDS; i++) {
            BrowserContext context = cold ? browser.newContext(new NewContextOptions()
                    .setBaseURL(bench.server.baseUrl()).setStorageState(session)) : warm;
            Page page = cold ? context.newPage() : warmPage;
            long start = System.nanoTime();
            open(page, chatId, lastLine);
            long took = System.nanoTime() - start;
            page.waitForLoadState(LoadState.NETWORKIDLE);
            Number transferred = (Number) page.evaluate("""
                    performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                        .reduce((sum, entry) => sum + entry.transferSize, 0)""");
            if (i >= 0) {
                nanos[i] = took;
                bytes[i] = transferred.longValue();
            }
            if (cold) {
                context.close();
            }
        }
        if (warm != null) {
            warm.close();
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("time_to_usable", Stats.of(nanos));
        long[] sorted = bytes.clone();
        java.util.Arrays.sort(sorted);
        figures.put("bytes_transferred_median", sorted[sorted.length / 2]);
        figures.put("bytes_transferred_max", sorted[sorted.length - 1]);
        return figures;
    }

    private static void open(Page page, String chatId, int lastLine) {
        page.navigate("/c/" + chatId);
        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).isEditable();
        Locator messages = page.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Messages"));
        assertThat(messages.getByText("Line " + lastLine, new Locator.GetByTextOptions().setExact(true)))
                .isInViewport();
    }

    /** A chat of {@code count} stored messages (no model), "Line 1" to "Line {count}", with some markdown. */
    private static String chat(ApiClient user, int count) {
        String chatId = user.post("/api/v1/chats", Map.of("title", "Chat of " + count)).expect(201).text("/id");
        for (int i = 1; i <= count; i++) {
            String role = i % 2 == 1 ? "user" : "assistant";
            String content = i == count ? "Line " + i : i % 10 == 0
                    ? "Line " + i + "\n\n```java\nSystem.out.println(\"line " + i + "\");\n```" : "Line " + i;
            user.post("/api/v1/chats/" + chatId + "/messages", Map.of("role", role, "content", content,
                    "generate", false)).expect(201);
        }
        return chatId;
    }

    private static void awaitIdleJobs(BenchSetup bench) throws InterruptedException {
        JdbcClient jdbc = bench.server.context().getBean(JdbcClient.class);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (jdbc.sql("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')").query(Long.class).single() > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("jobs still queued after 5 minutes");
            }
            Thread.sleep(200);
        }
    }
}
