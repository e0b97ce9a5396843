package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Browser;
import dev.nosso.support.BrowserTest;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Shared links and presets in a real Chromium against the real server: a chat shared from its menu, opened
 * signed out, and continued by another user after signing in; a link revoked from the chat's header; presets
 * made in the settings and a new chat started from one (checked by what the model received), in Portuguese and
 * on a phone; an administrator publishing a preset and choosing who may open links.
 */
class SharingAndPresetsUiTest extends BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    SharingAndPresetsUiTest() {
        super("sharing");
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name);
    }

    private String answeredChat(String question, String answer) {
        upstream.reply(MODEL, Script.tokens(answer));
        send(question);
        assertThat(lastAnswer()).containsText(answer);
        Eventually.within(WAIT).until(() -> page.url(), url -> url.contains("/c/"));
        return page.url().replaceAll(".*/c/", "");
    }

    private void linksFor(String who) {
        admin().patch("/api/v1/admin/sharing", Map.of("links", who)).expect(200);
    }

    @Test
    void aChatSharedFromItsMenuOpensSignedOutAndAnotherUserContinuesIt() {
        linksFor("anyone");
        String owner = newAccount();
        signedIn(owner, TestServer.PASSWORD);
        String chat = answeredChat("Which island has the lighthouse?", "Gull Island has it.");

        page.getByRole(AriaRole.BUTTON, named("Actions for New chat")).first().click();
        page.getByRole(AriaRole.MENUITEM, named("Share")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG, named("Share chat"));
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create link")).click();
        Locator link = dialog.getByLabel("Link");
        assertThat(link).hasValue(Pattern.compile(".*/s/[A-Za-z0-9_-]{43}$"));
        assertThat(dialog.getByText("Anyone with the link can read this copy.")).isVisible();
        String url = link.inputValue();
        Browser.screenshot(page, "sharing-dialog");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Update copy")).click();
        assertThat(dialog.getByRole(AriaRole.STATUS)).hasText("The link now shows the chat as it is now.");
        assertThat(link).hasValue(url);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();
        BrowserContext owners = context;

        open(new NewContextOptions()); // another person, signed out
        page.navigate(url);
        assertThat(page.getByRole(AriaRole.ARTICLE, named("Assistant"))).containsText("Gull Island has it.");
        assertThat(page.getByRole(AriaRole.ARTICLE, named("You"))).containsText("Which island has the lighthouse?");
        assertThat(page.locator("body")).not().containsText(owner);
        Browser.screenshot(page, "sharing-signed-out");
        String viewer = newAccount();
        page.getByRole(AriaRole.LINK, named("Sign in to continue this chat")).click();
        signIn(viewer, TestServer.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Continue this chat")).click();

        assertThat(page).hasURL(Pattern.compile(".*/c/[0-9a-f-]{36}$"));
        assertThat(page.getByRole(AriaRole.ARTICLE, named("Assistant"))).containsText("Gull Island has it.");
        String copy = page.url().replaceAll(".*/c/", "");
        assertThat(copy).isNotEqualTo(chat);
        ApiClient viewerApi = server.anonymous().login(viewer, TestServer.PASSWORD);
        assertThat(viewerApi.get("/api/v1/chats/" + copy).expect(200).json().path("messageCount").asInt()).isEqualTo(2);
        upstream.reply(MODEL, Script.tokens("It has one keeper."));
        send("Who keeps it?");
        assertThat(lastAnswer()).containsText("It has one keeper.");
        owners.close();
        assertNoProblems();
    }

    @Test
    void aLinkRevokedFromTheChatHeaderIsNotFoundAndSignedInOnlyLinksAskToSignIn() {
        linksFor("signed-in");
        signedIn();
        answeredChat("Keep this between us", "Understood.");
        page.getByRole(AriaRole.BUTTON, named("Share chat")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG, named("Share chat"));
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create link")).click();
        assertThat(dialog.getByText("People signed in to this server can read this copy.")).isVisible();
        String url = dialog.getByLabel("Link").inputValue();
        BrowserContext owners = context;
        Page ownersPage = page;

        open(new NewContextOptions());
        page.navigate(url);
        assertThat(page.getByRole(AriaRole.HEADING, named("Sign in to read this chat"))).isVisible();
        assertThat(page.locator("body")).not().containsText("Understood.");

        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke link")).click();
        assertThat(dialog.getByRole(AriaRole.STATUS)).hasText("Link revoked: it no longer works.");
        assertThat(dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create link"))).isVisible();
        linksFor("anyone");
        page.reload();
        assertThat(page.getByRole(AriaRole.HEADING, named("Link not found"))).isVisible();
        Browser.screenshot(ownersPage, "sharing-revoked");
        owners.close();
        assertNoProblems();
    }

    @Test
    void aPresetMadeInTheSettingsStartsANewChatWithItsPromptAndSampling() {
        signedIn();
        page.getByRole(AriaRole.LINK, named("Settings")).click();
        Locator presets = page.getByRole(AriaRole.REGION, named("Presets"));
        presets.getByLabel("Preset name").fill("Brief helper");
        presets.getByLabel("Model").selectOption(new SelectOption().setValue(MODEL));
        presets.getByLabel("System prompt").fill("Answer in one line.");
        presets.getByLabel("Temperature").fill("0.3");
        presets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create preset")).click();
        Locator list = presets.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Presets"));
        assertThat(list).containsText("Brief helper");
        assertThat(list).containsText("preset:Brief helper");
        assertThat(page.getByRole(AriaRole.CHECKBOX, named("Published for everyone"))).hasCount(0); // users do not publish
        Browser.screenshot(page, "sharing-presets-settings");

        page.getByRole(AriaRole.BUTTON, named("+ New chat")).click();
        page.getByRole(AriaRole.COMBOBOX, named("Preset")).selectOption(new SelectOption().setLabel("Brief helper"));
        upstream.reply(MODEL, Script.tokens("One line."));
        send("Tell me about tides");
        assertThat(lastAnswer()).containsText("One line.");
        JsonNode received = upstream.lastChat().json();
        assertThat(received.path("messages").toString()).contains("Answer in one line.");
        assertThat(received.path("temperature").asDouble()).isEqualTo(0.3);
        page.getByRole(AriaRole.BUTTON, named("Chat settings")).click();
        assertThat(page.getByRole(AriaRole.FORM, named("Chat settings")).getByLabel("System prompt"))
                .hasValue("Answer in one line.");

        page.getByRole(AriaRole.LINK, named("Settings")).click();
        presets = page.getByRole(AriaRole.REGION, named("Presets"));
        presets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit Brief helper")).click();
        presets.getByLabel("Preset name").fill("Terse helper");
        presets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save preset")).click();
        list = presets.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Presets"));
        assertThat(list).containsText("Terse helper");
        presets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete Terse helper")).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
        assertThat(list).not().containsText("Terse helper");
        assertNoProblems();
    }

    @Test
    void presetsSpeakPortugueseAndFitAPhone() {
        String email = newAccount();
        open(new NewContextOptions().setViewportSize(390, 844).setIsMobile(true).setHasTouch(true));
        page.navigate("/settings");
        signIn(email, TestServer.PASSWORD);
        page.getByRole(AriaRole.REGION, named("Appearance and language"))
                .getByRole(AriaRole.COMBOBOX, new Locator.GetByRoleOptions().setName("Language"))
                .selectOption(new SelectOption().setValue("pt-BR"));
        Locator presets = page.getByRole(AriaRole.REGION, named("Presets"));
        assertThat(presets.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Novo preset"))).isVisible();
        presets.getByLabel("Nome do preset").fill("Revisor");
        presets.getByLabel("Modelo").selectOption(new SelectOption().setValue(MODEL));
        presets.getByLabel("Prompt de sistema").fill("Revise o texto.");
        Locator create = presets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Criar preset"));
        create.scrollIntoViewIfNeeded();
        assertThat(create).isInViewport();
        create.click();
        assertThat(presets.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Salvo."))).isVisible();
        assertThat(presets.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Presets"))).containsText("Revisor");
        assertThat(presets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Editar Revisor"))).isVisible();
        Object overflow = page.evaluate("() => [...document.querySelectorAll('.page, .panel')]"
                + ".some(e => e.scrollWidth > e.clientWidth + 1) || document.documentElement.scrollWidth > innerWidth");
        assertThat(overflow).isEqualTo(false);
        Browser.screenshot(page, "sharing-presets-phone-pt");

        page.navigate("/");
        Locator picker = page.getByRole(AriaRole.COMBOBOX, named("Preset"));
        assertThat(picker).isVisible();
        picker.selectOption(new SelectOption().setLabel("Revisor"));
        assertThat(picker).isInViewport();
        Object headerOverflows = page.evaluate("() => { const e = document.querySelector('.chat-header');"
                + " return e.scrollWidth > e.clientWidth + 1 || document.documentElement.scrollWidth > innerWidth; }");
        assertThat(headerOverflows).isEqualTo(false);
        Browser.screenshot(page, "sharing-new-chat-preset-phone-pt");
        assertNoProblems();
    }

    @Test
    void anAdministratorPublishesAPresetAndChoosesWhoOpensSharedLinks() {
        linksFor("signed-in");
        signedIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
        page.getByRole(AriaRole.LINK, named("Settings")).click();
        Locator presets = page.getByRole(AriaRole.REGION, named("Presets"));
        presets.getByLabel("Preset name").fill("Team translator");
        presets.getByLabel("Model").selectOption(new SelectOption().setValue(MODEL));
        presets.getByLabel("System prompt").fill("Translate into Portuguese.");
        presets.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Published for everyone")).check();
        presets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create preset")).click();
        Locator list = presets.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Presets"));
        assertThat(list.getByRole(AriaRole.LISTITEM).filter(new Locator.FilterOptions().setHasText("Team translator")))
                .containsText("Published");
        ApiClient user = server.anonymous().login(newAccount(), TestServer.PASSWORD);
        JsonNode seen = user.get("/api/v1/presets").expect(200).json();
        assertThat(seen.toString()).contains("Team translator", "Translate into Portuguese.");

        page.getByRole(AriaRole.LINK, named("Admin")).click();
        Locator sharing = page.getByRole(AriaRole.REGION, named("Shared links"));
        sharing.getByLabel("Shared links work for").selectOption(new SelectOption().setValue("anyone"));
        assertThat(sharing.getByRole(AriaRole.STATUS)).hasText("Saved.");
        assertThat(admin().get("/api/v1/admin/sharing").expect(200).text("/links")).isEqualTo("anyone");
        Browser.screenshot(page, "sharing-admin");
        linksFor("signed-in");
        assertNoProblems();
    }
}
