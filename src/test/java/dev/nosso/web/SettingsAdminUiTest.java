package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.SelectOption;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Browser;
import dev.nosso.support.BrowserTest;
import dev.nosso.support.Eventually;
import dev.nosso.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The settings, admin and knowledge pages in a real Chromium against the real server (SQLite): memory, API keys
 * and the Portuguese UI; approving an account and adding a connection that tests well; uploading a file that
 * becomes ready, a collection holding it, and an empty file refused with its reason. Selectors are roles and
 * accessible names. Each test saves a screenshot under target/screenshots/.
 */
class SettingsAdminUiTest extends BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    SettingsAdminUiTest() {
        super("pages");
    }

    // --- settings ---------------------------------------------------------------------------------------------

    @Test
    void settingsSaveMemoryShowAKeyOnceRevokeItAndSpeakPortuguese() {
        String email = newAccount();
        signedIn(email, TestServer.PASSWORD);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Settings").setLevel(1))).isVisible();

        Locator memory = page.getByLabel("Remember things across chats (memory)");
        assertThat(memory).isChecked();
        memory.uncheck();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Turn off")).click();
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Saved."))).isVisible();
        ApiClient user = server.anonymous().login(email, TestServer.PASSWORD);
        assertThat(user.get("/api/v1/preferences").expect(200).json().get("memory").asBoolean()).isFalse();

        page.getByLabel("Default system prompt").fill("Answer briefly.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Saved."))).isVisible();
        Eventually.within(WAIT).until(() -> user.get("/api/v1/preferences").json().get("systemPrompt").asString(),
                "Answer briefly."::equals);

        page.getByLabel("Key name").fill("laptop script");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        Locator secret = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Your new key"));
        assertThat(secret).isVisible();
        assertThat(page.getByText("Copy it now: it will not be shown again.")).isVisible();
        String key = secret.inputValue();
        assertThat(key).hasSizeGreaterThan(20);
        server.anonymous().withBearer(key).get("/api/v1/auth/me").expect(200);
        Locator keys = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your API keys"));
        assertThat(keys).containsText("laptop script");
        Browser.screenshot(page, "pages-settings-new-key");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done")).click();
        assertThat(secret).hasCount(0);
        assertThat(page.getByText(key)).hasCount(0);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke laptop script")).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
        assertThat(keys).containsText("No API keys.");
        assertThat(server.anonymous().withBearer(key).get("/api/v1/auth/me").status()).isEqualTo(401);

        page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Appearance and language"))
                .getByRole(AriaRole.COMBOBOX, new Locator.GetByRoleOptions().setName("Language")).selectOption(new SelectOption().setValue("pt-BR"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Configurações").setLevel(1))).isVisible();
        assertThat(page.getByLabel("Lembrar coisas entre conversas (memória)")).not().isChecked();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Conhecimento"))).isVisible();
        assertNoProblems();
    }

    @Test
    void settingsFitAPhone() {
        String email = newAccount();
        open(new NewContextOptions().setViewportSize(390, 844).setIsMobile(true).setHasTouch(true));
        page.navigate("/settings");
        signIn(email, TestServer.PASSWORD);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Settings").setLevel(1))).isVisible();
        // The page scrolls on a phone (presets and the token budget come before the keys): the button is reached.
        Locator createKey = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key"));
        createKey.scrollIntoViewIfNeeded();
        assertThat(createKey).isInViewport();
        Object overflow = page.evaluate("() => [...document.querySelectorAll('.page, .panel')]"
                + ".some(e => e.scrollWidth > e.clientWidth + 1) || document.documentElement.scrollWidth > innerWidth");
        assertThat(overflow).isEqualTo(false);
        Browser.screenshot(page, "pages-settings-phone");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Knowledge")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Knowledge").setLevel(1))).isVisible();
        assertThat(page.getByLabel("Choose files")).isAttached();
        assertNoProblems();
    }

    // --- admin ------------------------------------------------------------------------------------------------

    @Test
    void anAdminApprovesAnAccountAndAddsAConnectionThatTestsWell() {
        String pending = "p" + UUID.randomUUID().toString().substring(0, 12) + "@nosso.test";
        server.anonymous().post("/api/v1/auth/signup", Map.of("email", pending, "password", TestServer.PASSWORD,
                "name", "Pending Person")).expect(201);
        signedIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Admin")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Administration"))).isVisible();

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve " + pending)).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve " + pending))).hasCount(0);
        assertThat(page.getByLabel("Role of " + pending)).hasValue("user");
        assertThat(userRole(pending)).isEqualTo("user");

        page.getByLabel("Kind").selectOption(new SelectOption().setValue("openai"));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Scripted upstream");
        page.getByLabel("Base URL").fill(upstream.openAiBaseUrl().toString());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add connection")).click();
        Locator connections = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Connections"));
        assertThat(connections).containsText("Scripted upstream");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Test Scripted upstream")).click();
        assertThat(connections.getByText("Works: 1 model.")).isVisible();

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Disable Scripted upstream")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Enable Scripted upstream"))).isVisible();
        Browser.screenshot(page, "pages-admin");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Suspend " + pending)).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Suspend")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reactivate " + pending))).isVisible();
        assertThat(admin().get("/api/v1/admin/users/" + userId(pending)).json().get("status").asString()).isEqualTo("suspended");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reactivate " + pending)).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Suspend " + pending))).isVisible();
        page.getByLabel("Role of " + pending).selectOption(new SelectOption().setValue("admin"));
        Eventually.within(WAIT).until(() -> userRole(pending), "admin"::equals);
        page.getByLabel("Role of " + pending).selectOption(new SelectOption().setValue("user"));
        Eventually.within(WAIT).until(() -> userRole(pending), "user"::equals);

        page.getByLabel("New accounts").selectOption(new SelectOption().setValue("user"));
        Eventually.within(WAIT).until(this::signupDefaultRole, "user"::equals);
        page.getByLabel("New accounts").selectOption(new SelectOption().setValue("pending"));
        Eventually.within(WAIT).until(this::signupDefaultRole, "pending"::equals);

        // Per-user limits: the form shows those in force and saves them; uploads are set in MiB.
        assertThat(page.getByLabel("Answers running at once")).hasValue("20");
        page.getByLabel("Answers running at once").fill("5");
        page.getByLabel("Messages per minute").fill("0");
        page.getByLabel("Uploads per day (MiB)").fill("50");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save limits")).click();
        Eventually.within(WAIT).until(() -> admin().get("/api/v1/admin/settings").json().get("uploadBytesPerDayPerUser")
                .asLong(), bytes -> bytes == 50L * 1024 * 1024);
        JsonNode limits = admin().get("/api/v1/admin/settings").json();
        assertThat(limits.get("runningAnswersPerUser").asInt()).isEqualTo(5);
        assertThat(limits.get("messagesPerMinutePerUser").asInt()).isZero();
        admin().patch("/api/v1/admin/settings", Map.of("runningAnswersPerUser", 20, "messagesPerMinutePerUser", 600,
                "uploadBytesPerDayPerUser", 10L * 1024 * 1024 * 1024)).expect(200);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete Scripted upstream")).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
        assertThat(connections).not().containsText("Scripted upstream");
        assertNoProblems();
    }

    // --- knowledge --------------------------------------------------------------------------------------------

    @Test
    void aMarkdownFileBecomesReadyJoinsACollectionAndAnEmptyFileSaysWhy() {
        signedIn();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Knowledge")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Knowledge").setLevel(1))).isVisible();

        page.getByLabel("Choose files").setInputFiles(new FilePayload("notes.md", "text/markdown",
                "# Field notes\n\nThe heron nests by the river in spring.\n".getBytes(StandardCharsets.UTF_8)));
        Locator files = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your files"));
        Locator notes = files.getByRole(AriaRole.LISTITEM).filter(new Locator.FilterOptions().setHasText("notes.md"));
        assertThat(notes).containsText("ready", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                .setTimeout(60_000));

        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Birds");
        page.getByLabel("Description", new Page.GetByLabelOptions().setExact(true)).fill("Notes from the river");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        page.getByLabel("Add a file to Birds").selectOption(new SelectOption().setLabel("notes.md"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add Birds")).click();
        Locator inBirds = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Files in Birds"));
        assertThat(inBirds).containsText("notes.md");

        page.getByLabel("Choose files").setInputFiles(new FilePayload("empty.txt", "text/plain", new byte[0]));
        assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("empty.txt:"))).isVisible();
        assertThat(files).not().containsText("empty.txt");
        Browser.screenshot(page, "pages-knowledge");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove notes.md")).click();
        assertThat(inBirds).containsText("No files in this collection.");
        assertNoProblems();
    }

    @Test
    void aDroppedFileThatCannotBeReadSaysWhyAndCollectionsAreRenamedAndDeleted() {
        String email = newAccount();
        signedIn(email, TestServer.PASSWORD);
        page.navigate("/knowledge");
        page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Upload files")).evaluate("""
                (zone, [name, text]) => {
                    const data = new DataTransfer();
                    data.items.add(new File([text], name, {type: "application/pdf"}));
                    zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
                }""", List.of("broken.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage with no pages and no trailer"));
        Locator files = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your files"));
        Locator broken = files.getByRole(AriaRole.LISTITEM).filter(new Locator.FilterOptions().setHasText("broken.pdf"));
        assertThat(broken).containsText("failed", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                .setTimeout(60_000));
        ApiClient user = server.anonymous().login(email, TestServer.PASSWORD);
        String reason = user.get("/api/v1/files").expect(200).json().get("items").get(0).get("error").asString();
        assertThat(reason).isNotBlank();
        assertThat(broken).containsText(reason);

        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Drafts");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rename or describe Drafts")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("Old drafts");
        dialog.getByLabel("Description").fill("Kept for later");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        Locator collections = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your collections"));
        assertThat(collections).containsText("Old drafts");
        assertThat(collections).containsText("Kept for later");
        Browser.screenshot(page, "pages-knowledge-failed");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete Old drafts")).click();
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
        assertThat(collections).containsText("No collections yet.");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete broken.pdf")).click();
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
        assertThat(files).containsText("No files yet.");
        assertThat(user.get("/api/v1/files").expect(200).json().get("items").size()).isZero();
        assertNoProblems();
    }

    @Test
    void aSlowUploadShowsItsProgress() {
        signedIn();
        page.navigate("/knowledge");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Knowledge").setLevel(1))).isVisible();
        // Chromium's network emulation: about 40 KB/s up, so 120 KB take a few seconds.
        var cdp = context.newCDPSession(page);
        var conditions = new com.google.gson.JsonObject();
        conditions.addProperty("offline", false);
        conditions.addProperty("latency", 0);
        conditions.addProperty("downloadThroughput", -1);
        conditions.addProperty("uploadThroughput", 40_000);
        cdp.send("Network.enable");
        cdp.send("Network.emulateNetworkConditions", conditions);
        String text = "# Long notes\n\n" + "The heron waits in the shallows for a fish to pass by.\n".repeat(2_200);
        page.getByLabel("Choose files").setInputFiles(new FilePayload("long.md", "text/markdown",
                text.getBytes(StandardCharsets.UTF_8)));
        Locator bar = page.getByRole(AriaRole.PROGRESSBAR, new Page.GetByRoleOptions().setName("Uploading long.md"));
        assertThat(bar).isVisible();
        page.waitForCondition(() -> {
            Object value = bar.count() == 0 ? 100 : bar.evaluate("p => p.value");
            return ((Number) value).intValue() > 0;
        });
        Browser.screenshot(page, "pages-knowledge-uploading");
        Locator files = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your files"));
        assertThat(files.getByRole(AriaRole.LISTITEM).filter(new Locator.FilterOptions().setHasText("long.md")))
                .containsText("ready", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                        .setTimeout(90_000));
        assertThat(bar).hasCount(0);
        assertNoProblems();
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private String userId(String email) {
        for (var user : admin().get("/api/v1/admin/users?limit=200").json().get("items")) {
            if (user.get("email").asString().equals(email)) {
                return user.get("id").asString();
            }
        }
        throw new AssertionError("No account " + email);
    }

    private String userRole(String email) {
        return admin().get("/api/v1/admin/users/" + userId(email)).expect(200).json().get("role").asString();
    }

    private String signupDefaultRole() {
        return admin().get("/api/v1/admin/settings").expect(200).json().get("signupDefaultRole").asString();
    }
}
