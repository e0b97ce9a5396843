package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.nosso.support.Browser;
import dev.nosso.support.BrowserTest;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Files and knowledge on the chat page, in a real Chromium against the real server (SQLite) and a scripted
 * model: a file attached from the composer with its progress, an answer whose [1] opens the cited passage
 * (again after a reload), a collection chosen in the chat settings reaching the model, and a refused file
 * showing why. Each test saves a screenshot under target/screenshots/.
 */
class KnowledgeChatUiTest extends BrowserTest {

    KnowledgeChatUiTest() {
        super("knowledge");
    }

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.models.refresh-unknown-after", "0s");
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
        assertThat(page).hasURL(Pattern.compile("/$")); // no chat yet: it is made when the question is sent
        Browser.screenshot(page, "knowledge-file-ready");

        send("Who keeps the lighthouse?");
        assertThat(page).hasURL(Pattern.compile("/c/[0-9a-f-]{36}$"));
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
        Object fileId = page.evaluate("""
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
                    return file.id;
                }
                """);
        Eventually.within(Duration.ofSeconds(90)).pollInSameThread().until(() -> page.evaluate(
                "id => fetch('/api/v1/files/' + id).then(r => r.json()).then(file => file.status)", fileId),
                status -> status.equals("ready") || status.equals("failed"));
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
        // A fixed wait on purpose: only time shows that no onerror fires. Playwright hands the page's events to
        // the listeners meanwhile, so anything that fires lands in the problems.
        page.waitForTimeout(300);
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

    /** Picks a file as a person does: the paperclip opens the file chooser. */
    private void attach(FilePayload file) {
        FileChooser chooser = page.waitForFileChooser(() ->
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Attach files")).click());
        chooser.setFiles(file);
    }
}
