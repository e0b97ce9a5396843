package dev.nosso.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.nosso.platform.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class that drives the web UI in a real Chromium against one real server on a fresh SQLite database,
 * with a scripted model ({@link #MODEL}, reset before each test). New accounts wait for approval, as an
 * administrator would set it up; {@link #newAccount()} approves them.
 *
 * <p>A test opens its own browser profile ({@link #open} or {@link #signedIn}): {@link #page} and
 * {@link #context} are then its page and profile. Whatever the page reports as wrong (a console error, an
 * uncaught error, a dialog) lands in {@link #problems}, which a test ends by checking with
 * {@link #assertNoProblems()}. After each test the page is saved as
 * {@code target/screenshots/{prefix}-{test}.png}, for a person to look at, and the profile is closed.
 *
 * <p>What the page shows is waited for by Playwright's assertions, which retry until their timeout; what the
 * server holds, with {@link Eventually}.
 *
 * <p>Without Chromium the class is skipped with the reason printed, or fails under
 * {@code NOSSO_REQUIRE_BROWSER=1} (see {@link Browser#launch()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrowserTest {

    protected static final String MODEL = "m1";

    private final String screenshotPrefix;

    protected final ScriptedUpstream upstream = ScriptedUpstream.start();
    private Browser browser;
    protected TestDatabase database;
    protected TestServer server;
    private ApiClient admin;

    protected BrowserContext context;
    protected Page page;
    protected final List<String> problems = new ArrayList<>();

    /** @param screenshotPrefix the first word of the names of this class's screenshots */
    protected BrowserTest(String screenshotPrefix) {
        this.screenshotPrefix = screenshotPrefix;
    }

    /** Settings for this class's server, beyond those of every UI test server. */
    protected Map<String, Object> settings() {
        return Map.of();
    }

    @BeforeAll
    void startBrowserAndServer() {
        browser = Browser.launch();
        database = TestDatabase.fresh(Dialect.SQLITE);
        Map<String, Object> settings = new HashMap<>(Map.of(
                "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false",
                "nosso.identity.signup-default-role", "pending"));
        settings.putAll(settings());
        server = TestServer.start(database, settings);
    }

    @AfterAll
    void stopBrowserAndServer() {
        for (AutoCloseable closing : new AutoCloseable[] {browser, server, database, upstream}) {
            try {
                if (closing != null) {
                    closing.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models(MODEL);
        problems.clear();
    }

    @AfterEach
    void screenshotAndClose(TestInfo test) {
        if (page != null) {
            Browser.screenshot(page, screenshotPrefix + "-" + test.getTestMethod().orElseThrow().getName());
        }
        if (context != null) {
            context.close();
        }
        page = null;
        context = null;
    }

    /** The server's administrator, signed in through the API. */
    protected ApiClient admin() {
        if (admin == null) {
            admin = server.admin();
        }
        return admin;
    }

    /** Opens a new browser profile (no cookies, no storage) on a blank page, and starts collecting problems. */
    protected void open(NewContextOptions options) {
        context = browser.newContext(options.setBaseURL(server.baseUrl()));
        page = context.newPage();
        page.onConsoleMessage(message -> {
            // The browser logs every refused request (the 401 of "who am I?" before signing in): not a fault.
            if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                problems.add("console: " + message.text());
            }
        });
        page.onPageError(error -> problems.add("page error: " + error));
        page.onDialog(dialog -> {
            problems.add("dialog: " + dialog.message());
            dialog.dismiss();
        });
    }

    /** A new approved account, signed in through the sign-in page of a new profile. */
    protected void signedIn() {
        signedIn(new NewContextOptions());
    }

    /** A new approved account, signed in through the sign-in page of a new profile opened with {@code options}. */
    protected void signedIn(NewContextOptions options) {
        signedIn(newAccount(), TestServer.PASSWORD, options);
    }

    /** The account of {@code email}, signed in through the sign-in page of a new profile. */
    protected void signedIn(String email, String password) {
        signedIn(email, password, new NewContextOptions());
    }

    private void signedIn(String email, String password, NewContextOptions options) {
        open(options);
        page.navigate("/signin");
        signIn(email, password);
        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).isVisible();
    }

    /** Fills in and sends the sign-in form the page shows. */
    protected void signIn(String email, String password) {
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    }

    /** Signs a new account up through the API and has the administrator approve it; returns its email. */
    protected String newAccount() {
        String email = "u" + UUID.randomUUID().toString().substring(0, 12) + "@nosso.test";
        server.anonymous().post("/api/v1/auth/signup", Map.of("email", email, "password", TestServer.PASSWORD,
                "name", "User " + email)).expect(201);
        approve(email);
        return email;
    }

    /** The administrator approves the pending account of {@code email}, as a user. */
    protected void approve(String email) {
        for (var user : admin().get("/api/v1/admin/users?role=pending&limit=200").json().get("items")) {
            if (user.get("email").asString().equals(email)) {
                admin().patch("/api/v1/admin/users/" + user.get("id").asString(), Map.of("role", "user")).expect(200);
                return;
            }
        }
        throw new AssertionError("No pending account " + email);
    }

    /** Types {@code text} into the chat's composer and sends it with Enter. */
    protected void send(String text) {
        Locator composer = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        composer.fill(text);
        composer.press("Enter");
    }

    protected Locator lastAnswer() {
        return page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName("Assistant")).last();
    }

    protected void assertNoProblems() {
        assertThat(problems).isEmpty();
    }
}
