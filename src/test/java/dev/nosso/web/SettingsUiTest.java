package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Browser;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The settings page in a real Chromium against the real server (SQLite): memory and the default system
 * prompt are saved to the account, an API key is shown once, works, and stops working once revoked, and the
 * page follows a change of language.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettingsUiTest {

    private Browser browser;
    private TestDatabase database;
    private TestServer server;
    private BrowserContext context;
    private Page page;
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    void start() {
        browser = Browser.launch();
        database = TestDatabase.fresh(Dialect.SQLITE);
        server = TestServer.start(database);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closing : new AutoCloseable[] {browser, server, database}) {
            try {
                if (closing != null) {
                    closing.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void preferencesAreSavedAKeyIsShownOnceAndRevokedAndTheLanguageSwitches() {
        ApiClient user = server.newUser();
        String email = user.get("/api/v1/auth/me").expect(200).text("/email");
        context = browser.newContext(server.baseUrl());
        page = context.newPage();
        page.onPageError(error -> problems.add("page error: " + error));
        page.onDialog(dialog -> {
            problems.add("dialog: " + dialog.message());
            dialog.dismiss();
        });
        page.navigate("/signin");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(TestServer.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Settings")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Settings").setLevel(1)))
                .isVisible();

        // Memory and the default system prompt belong to the account, not to this browser.
        Locator memory = page.getByLabel("Remember my conversations", new Page.GetByLabelOptions().setExact(false));
        assertThat(memory).isChecked();
        memory.uncheck();
        page.getByLabel("Default system prompt", new Page.GetByLabelOptions().setExact(false)).fill("Be brief.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByText("Saved.")).isVisible();
        JsonNode saved = user.get("/api/v1/preferences").expect(200).json();
        assertThat(saved.path("memory").asBoolean()).isFalse();
        assertThat(saved.path("systemPrompt").asString()).isEqualTo("Be brief.");
        page.reload();
        assertThat(page.getByLabel("Remember my conversations", new Page.GetByLabelOptions().setExact(false)))
                .not().isChecked();

        // A key: shown once, usable at once, refused once revoked.
        page.getByLabel("Name of the new key").fill("laptop <script>");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        Locator secret = page.locator("code.secret");
        assertThat(secret).isVisible();
        String key = secret.textContent();
        ApiClient bearer = server.anonymous().withBearer(key);
        bearer.get("/v1/models").expect(200);
        Locator keys = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("API keys"));
        assertThat(keys.getByText("laptop <script>")).isVisible(); // a name is text, never markup
        Browser.screenshot(page, "settings-key-created");
        page.reload();
        assertThat(page.locator("code.secret")).hasCount(0); // never shown again
        keys = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("API keys"));
        keys.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke laptop <script>")).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke"))
                .click();
        assertThat(keys.getByText("No API keys yet.")).isVisible();
        bearer.get("/v1/models").expect(401);

        // The language, chosen here, renders the page again in Portuguese.
        page.getByLabel("Language").first().selectOption(new SelectOption().setValue("pt-BR"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Configurações").setLevel(1)))
                .isVisible();
        Browser.screenshot(page, "settings-portuguese");
        assertThat(problems).isEmpty();
    }
}
