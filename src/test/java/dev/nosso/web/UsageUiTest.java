package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.Download;
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
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Admin → Usage and the token budget in Settings, in a real Chromium against the real server (SQLite): the
 * charts of answers given through the API, the CSV of the same figures, budgets set in the page, and a user who
 * sees what is left and is told in the chat when it is spent; in English and Portuguese, and on a phone.
 */
class UsageUiTest extends BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final NewContextOptions PHONE = new NewContextOptions().setViewportSize(390, 844).setIsMobile(true)
            .setHasTouch(true);

    UsageUiTest() {
        super("usage");
    }

    @Test
    void theAdministratorSeesChartsDownloadsTheCsvAndSetsBudgets() throws Exception {
        String email = newAccount();
        answered(email, 10, 25);
        signedIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Admin")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Usage and token budgets")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Usage").setLevel(1))).isVisible();

        Locator totals = page.getByLabel("Totals for the period");
        assertThat(totals).containsText("Answers");
        long completion = admin().get("/api/v1/admin/usage").expect(200).at("/total/completionTokens").asLong();
        assertThat(completion).isGreaterThanOrEqualTo(25);
        assertThat(totals.locator("div").filter(new Locator.FilterOptions().setHasText("Completion tokens")).locator("dd"))
                .hasText(String.format(java.util.Locale.ENGLISH, "%,d", completion));
        for (String chart : new String[] {"Tokens per day", "Answers per day", "Tokens and answers per model",
                "Tokens and answers per user", "Latency per model: time to first token and speed"}) {
            assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName(chart)).locator("canvas"))
                    .hasCount(1);
        }
        assertThat(page.locator("#usage-per-model .u-legend")).containsText("Tokens");

        page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Period")).selectOption(new SelectOption().setValue("7"));
        Download download = page.waitForDownload(() -> page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Download CSV")).click());
        String csv = Files.readString(download.path());
        assertThat(csv).startsWith("section,key,name,answers,").contains("\r\nmodel," + MODEL + ",", "\r\nuser," + email + ",");
        assertThat(download.suggestedFilename()).startsWith("nosso-usage-");

        page.getByLabel("Tokens (0: unlimited)").first().fill("5000");
        page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Per").setExact(true)).first()
                .selectOption(new SelectOption().setValue("day"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save default")).click();
        try {
            assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Saved."))).isVisible();
            assertThat(admin().get("/api/v1/admin/budgets").expect(200).at("/defaults/tokens").asLong()).isEqualTo(5000);

            page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("User"))
                    .selectOption(new SelectOption().setLabel("User " + email + " (" + email + ")"));
            page.getByLabel("Tokens (0: unlimited)").last().fill("70");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set budget")).click();
            Locator own = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Users with their own budget"));
            Locator hers = own.getByRole(AriaRole.LISTITEM).filter(new Locator.FilterOptions().setHasText(email));
            assertThat(hers).containsText("70 tokens per day");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Use the default for " + email)).click();
            assertThat(hers).hasCount(0);
        } finally {
            admin().put("/api/v1/admin/budgets/default", Map.of("tokens", 0, "period", "month")).expect(200);
        }
        assertNoProblems();
    }

    @Test
    void theUsagePageSpeaksPortugueseAndFitsAPhone() {
        answered(newAccount(), 3, 4);
        open(PHONE);
        page.navigate("/signin");
        page.evaluate("localStorage.setItem('nosso.language', 'pt-BR')");
        page.navigate("/admin/usage");
        page.getByLabel("E-mail").fill(TestServer.ADMIN_EMAIL);
        page.getByLabel("Senha").fill(TestServer.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Entrar")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Uso").setLevel(1))).isVisible();
        assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("Tokens por dia")).locator("canvas"))
                .hasCount(1);
        assertThat(page.getByLabel("Totais do período")).containsText("Respostas");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Orçamentos de tokens"))).isVisible();
        page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Período"))
                .selectOption(new SelectOption().setValue("custom"));
        assertThat(page.getByLabel("De", new Page.GetByLabelOptions().setExact(true))).isVisible();
        Object overflow = page.evaluate("() => [...document.querySelectorAll('.page, .panel')]"
                + ".some(e => e.scrollWidth > e.clientWidth + 1) || document.documentElement.scrollWidth > innerWidth");
        assertThat(overflow).isEqualTo(false);
        Browser.screenshot(page, "usage-phone-pt-BR");
        assertNoProblems();
    }

    @Test
    void aUserSeesWhatIsLeftAndIsToldWhenTheBudgetIsSpent() {
        String email = newAccount();
        admin().put("/api/v1/admin/budgets/users/" + id(email), Map.of("tokens", 30, "period", "day")).expect(200);
        upstream.reply(MODEL, Script.tokens("Quite", " a long answer").usage(10, 25));
        signedIn(email, TestServer.PASSWORD);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
        assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Token budget")))
                .containsText("30 of your 30 tokens left today.");

        page.navigate("/");
        send("Tell me everything");
        assertThat(lastAnswer().locator(".body")).hasText("Quite a long answer");
        send("And more");
        assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("token budget")))
                .containsText("You have used your token budget for today (35 of 30 tokens)");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
        Locator budget = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Token budget"));
        assertThat(budget).containsText("0 of your 30 tokens left today.");
        assertThat(budget).containsText("35 spent");
        assertThat(budget.getByRole(AriaRole.PROGRESSBAR)).isVisible();
        assertNoProblems();
    }

    @Test
    void onAPhoneInPortugueseTheBudgetIsShownAndTheRefusalSaid() {
        String email = newAccount();
        admin().put("/api/v1/admin/budgets/users/" + id(email), Map.of("tokens", 1000, "period", "month")).expect(200);
        upstream.reply(MODEL, Script.tokens("Sim").usage(600, 500));
        open(PHONE);
        page.navigate("/signin");
        page.evaluate("localStorage.setItem('nosso.language', 'pt-BR')");
        page.navigate("/signin");
        page.getByLabel("E-mail").fill(email);
        page.getByLabel("Senha").fill(TestServer.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Entrar")).click();
        Locator composer = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Mensagem"));
        composer.fill("Olá");
        composer.press("Enter");
        assertThat(page.getByRole(AriaRole.ARTICLE).last().locator(".body")).hasText("Sim");
        composer.fill("De novo");
        composer.press("Enter");
        assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("orçamento")))
                .containsText("Você usou seu orçamento de tokens deste mês (1.100 de 1.000 tokens)");

        page.navigate("/settings");
        Locator budget = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Orçamento de tokens"));
        assertThat(budget).containsText("Restam 0 dos seus 1.000 tokens neste mês.");
        Object overflow = page.evaluate("() => [...document.querySelectorAll('.page, .panel')]"
                + ".some(e => e.scrollWidth > e.clientWidth + 1) || document.documentElement.scrollWidth > innerWidth");
        assertThat(overflow).isEqualTo(false);
        Browser.screenshot(page, "usage-settings-phone-pt-BR");
        assertNoProblems();
    }

    /** An answer of {@code email}'s, given through the API, that used the tokens given. */
    private void answered(String email, int prompt, int completion) {
        upstream.replyOnce(MODEL, Script.tokens("Counted").usage(prompt, completion));
        ApiClient user = server.anonymous().login(email, TestServer.PASSWORD);
        String chat = user.post("/api/v1/chats", Map.of()).expect(201).text("/id");
        String answer = user.post("/api/v1/chats/" + chat + "/messages", Map.of("content", "Count me", "model", MODEL))
                .expect(202).text("/assistantMessage/id");
        Eventually.within(WAIT).until(() -> user.get("/api/v1/messages/" + answer).expect(200).json(),
                m -> m.path("status").asString().equals("complete"));
    }

    private String id(String email) {
        return server.anonymous().login(email, TestServer.PASSWORD).get("/api/v1/auth/me").expect(200).text("/id");
    }
}
