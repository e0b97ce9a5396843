package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Browser;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Files and knowledge on the chat page, in a real Chromium against the real server (SQLite) and a scripted
 * model: a file attached from the composer with its progress, an answer whose [1] opens the cited passage
 * (again after a reload), a collection chosen in the chat settings reaching the model, and a refused file
 * showing why. Each test saves a screenshot under target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KnowledgeChatUiTest {

    private static final String MODEL = "m1";
    private static final LocatorAssertions.IsVisibleOptions SLOW = new LocatorAssertions.IsVisibleOptions().setTimeout(90_000);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private Browser browser;
    private TestDatabase database;
    private TestServer server;
    private ApiClient admin;

    private BrowserContext context;
    private Page page;
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    void start() {
        browser = Browser.launch();
        database = TestDatabase.fresh(Dialect.SQLITE);
        server = TestServer.start(database, Map.of(
                "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.models.refresh-unknown-after", "0s",
                "nosso.generation.titles", "false",
                "nosso.identity.signup-default-role", "pending"));
        admin = server.admin();
    }

    @AfterAll
    void stop() {
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
            Browser.screenshot(page, "knowledge-" + test.getTestMethod().orElseThrow().getName());
        }
        if (context != null) {
            context.close();
        }
        page = null;
        context = null;
    }

    @Test
    void aFileAttachedFromTheComposerIsReadThenCitedAndTheCitationOpensItsPassage() {
        upstream.reply(MODEL, Script.tokens("The keeper is ", "Ada [1]."));
        signedIn();
        attach(new FilePayload("lighthouse.md", "text/markdown",
                ("# Gull Island\n\n## The lighthouse\n\nThe lighthouse on Gull Island is kept by Ada Lovelace since 1843.\n")
                        .getBytes(StandardCharsets.UTF_8)));
        Locator chip = page.getByRole(AriaRole.LISTITEM, new Page.GetByRoleOptions().setName("lighthouse.md"));
        assertThat(chip).isVisible();
        assertThat(chip.getByRole(AriaRole.STATUS)).hasText("Ready", new LocatorAssertions.HasTextOptions().setTimeout(90_000));
        assertThat(page).hasURL(Pattern.compile("/c/[0-9a-f-]{36}$")); // the chat was made for the file
        Browser.screenshot(page, "knowledge-file-ready");

        send("Who keeps the lighthouse?");
        Locator answer = lastAnswer();
        assertThat(answer).hasAttribute("aria-busy", "false");
        assertThat(answer.locator(".body")).hasText("The keeper is Ada [1].");
        assertThat(upstream.lastChat().json().toString()).contains("Ada Lovelace since 1843"); // grounded on the file

        openCitation(answer);
        page.reload();
        openCitation(lastAnswer());

        // The chat settings list the file as attached to the chat, and detaching it there takes it away.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Chat settings")).click();
        Locator attached = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Files in this chat"));
        assertThat(attached.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("lighthouse.md"))).isVisible();
        assertThat(attached).containsText("Ready");
        attached.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove lighthouse.md")).click();
        assertThat(attached).hasText("No files attached.");
        assertNoProblems();
    }

    private void openCitation(Locator answer) {
        answer.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Source 1")).click();
        Locator passage = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Source 1"));
        assertThat(passage).isVisible();
        assertThat(passage).containsText("lighthouse.md");
        assertThat(passage).containsText("kept by Ada Lovelace since 1843");
        assertThat(passage.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Open the file")))
                .hasAttribute("href", Pattern.compile("^/api/v1/files/[0-9a-f-]{36}/content$"));
        Browser.screenshot(page, "knowledge-citation");
        passage.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();
        assertThat(passage).hasCount(0);
        assertThat(answer.getByText("Sources (1)")).isVisible();
    }

    @Test
    void aCollectionChosenInTheChatSettingsReachesTheModel() {
        upstream.reply(MODEL, Script.tokens("The ferry leaves at seven [1]."));
        signedIn();
        // The user's own collection, made through the API from the signed-in page (cookie and CSRF token).
        page.evaluate("""
                async () => {
                    const token = decodeURIComponent(document.cookie.match(/XSRF-TOKEN=([^;]*)/)[1]);
                    const headers = {"X-XSRF-TOKEN": token};
                    const form = new FormData();
                    form.append("file", new Blob(["The first ferry to Gull Island leaves at seven from pier nine."],
                        {type: "text/plain"}), "ferry.txt");
                    const file = await (await fetch("/api/v1/files", {method: "POST", body: form, headers})).json();
                    const json = {...headers, "Content-Type": "application/json"};
                    const collection = await (await fetch("/api/v1/collections", {method: "POST", headers: json,
                        body: JSON.stringify({name: "Islands"})})).json();
                    await fetch(`/api/v1/collections/${collection.id}/files`, {method: "POST", headers: json,
                        body: JSON.stringify({fileIds: [file.id]})});
                    for (let i = 0; i < 360; i++) {
                        const now = await (await fetch("/api/v1/files/" + file.id)).json();
                        if (now.status === "ready" || now.status === "failed") return now.status;
                        await new Promise(r => setTimeout(r, 250));
                    }
                }
                """);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Chat settings")).click();
        Locator collections = page.getByRole(AriaRole.LISTBOX, new Page.GetByRoleOptions().setName("Collections"));
        assertThat(collections.getByRole(AriaRole.OPTION, new Locator.GetByRoleOptions().setName("Islands"))).hasCount(1);
        collections.selectOption("Islands");
        page.getByLabel("Search my past conversations").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByText("Saved.")).isVisible();
        Browser.screenshot(page, "knowledge-chat-sources");

        send("When does the first ferry leave?");
        assertThat(lastAnswer()).hasAttribute("aria-busy", "false");
        assertThat(upstream.lastChat().json().toString()).contains("pier nine");
        assertThat(lastAnswer().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Source 1"))).isVisible();

        page.reload(); // the settings were saved with the chat
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Chat settings")).click();
        assertThat(page.getByRole(AriaRole.LISTBOX, new Page.GetByRoleOptions().setName("Collections"))).hasValues(new Pattern[] {Pattern.compile(".+")});
        assertThat(page.getByLabel("Search my past conversations")).isChecked();
        assertNoProblems();
    }

    @Test
    void aFileDroppedOnTheComposerHoldsTheQuestionBackUntilItIsRead() {
        upstream.reply(MODEL, Script.tokens("At noon [1]."));
        signedIn();
        // The job's progress cannot be followed for now: the file stays "being read" for the page.
        page.route("**/api/v1/jobs/*/events", route -> route.abort());
        JSHandle files = page.evaluateHandle("""
                () => {
                    const transfer = new DataTransfer();
                    transfer.items.add(new File(["# Tides\\n\\nThe tide at Gull Island is highest at noon.\\n"], "tides.md",
                        {type: "text/markdown"}));
                    return transfer;
                }
                """);
        page.locator("form.composer").dispatchEvent("drop", Map.of("dataTransfer", files));
        Locator chip = page.getByRole(AriaRole.LISTITEM, new Page.GetByRoleOptions().setName("tides.md"));
        assertThat(chip.getByRole(AriaRole.STATUS)).hasText(Pattern.compile("^(Waiting to be read|Reading .*)$"));

        send("When is the tide highest?");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Waiting for files…"))).isVisible();
        Browser.screenshot(page, "knowledge-send-waits");
        assertThat(page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName("You"))).hasCount(0);

        page.unroute("**/api/v1/jobs/*/events"); // the browser's next try gets through: ready, then sent
        assertThat(chip).hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(90_000));
        assertThat(lastAnswer()).hasAttribute("aria-busy", "false");
        assertThat(lastAnswer().locator(".body")).hasText("At noon [1].");
        assertThat(upstream.lastChat().json().toString()).contains("highest at noon");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send"))).isVisible();
        assertNoProblems();
    }

    @Test
    void aCitedPassageIsShownAsTextEvenWhenItHoldsMarkup() {
        upstream.reply(MODEL, Script.tokens("See the note [1]."));
        signedIn();
        attach(new FilePayload("note.txt", "text/plain",
                "The keeper wrote <img src=x onerror=alert(1)> and <script>alert(2)</script> on the wall."
                        .getBytes(StandardCharsets.UTF_8)));
        Locator chip = page.getByRole(AriaRole.LISTITEM, new Page.GetByRoleOptions().setName("note.txt"));
        assertThat(chip.getByRole(AriaRole.STATUS)).hasText("Ready", new LocatorAssertions.HasTextOptions().setTimeout(90_000));
        send("What did the keeper write?");
        assertThat(lastAnswer()).hasAttribute("aria-busy", "false");
        lastAnswer().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Source 1")).click();
        Locator passage = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Source 1"));
        assertThat(passage).containsText("<img src=x onerror=alert(1)>");
        assertThat(passage.locator("img, script")).hasCount(0);
        page.waitForTimeout(300); // an onerror would have fired by now
        assertNoProblems();
    }

    @Test
    void aRefusedFileShowsWhyAndCanBeRemoved() {
        signedIn();
        attach(new FilePayload("notes.pdf", "application/pdf",
                "just some plain words, not a PDF".getBytes(StandardCharsets.UTF_8)));
        Locator chip = page.getByRole(AriaRole.LISTITEM, new Page.GetByRoleOptions().setName("notes.pdf"));
        assertThat(chip.getByRole(AriaRole.STATUS)).hasText(Pattern.compile("^Failed: .+"),
                new LocatorAssertions.HasTextOptions().setTimeout(90_000));
        Browser.screenshot(page, "knowledge-file-failed");
        chip.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove notes.pdf")).click();
        assertThat(chip).hasCount(0);
        problems.removeIf(problem -> problem.contains("Failed to load resource"));
        assertNoProblems();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private void signedIn() {
        String email = "k" + UUID.randomUUID().toString().substring(0, 12) + "@nosso.test";
        server.anonymous().post("/api/v1/auth/signup", Map.of("email", email, "password", TestServer.PASSWORD,
                "name", "User " + email)).expect(201);
        var users = admin.get("/api/v1/admin/users?role=pending&limit=200").json().get("items");
        for (var user : users) {
            if (user.get("email").asString().equals(email)) {
                admin.patch("/api/v1/admin/users/" + user.get("id").asString(), Map.of("role", "user")).expect(200);
            }
        }
        context = browser.newContext(new NewContextOptions().setBaseURL(server.baseUrl()));
        page = context.newPage();
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                problems.add("console: " + message.text());
            }
        });
        page.onPageError(error -> problems.add("page error: " + error));
        page.onDialog(dialog -> {
            problems.add("dialog: " + dialog.message());
            dialog.dismiss();
        });
        page.navigate("/signin");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(TestServer.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).isVisible();
    }

    /** Picks a file as a person does: the paperclip opens the file chooser. */
    private void attach(FilePayload file) {
        FileChooser chooser = page.waitForFileChooser(() ->
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Attach files")).click());
        chooser.setFiles(file);
    }

    private void send(String text) {
        Locator composer = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        composer.fill(text);
        composer.press("Enter");
    }

    private Locator lastAnswer() {
        return page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName("Assistant")).last();
    }

    private void assertNoProblems() {
        assertThat(problems).isEmpty();
    }
}
