package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.nosso.support.Browser;
import dev.nosso.support.BrowserTest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * First run in a real browser: a server with no administrator prints a setup link; opening it, the person
 * creates the administrator and lands in the app, signed in. Without the token the page says what it needs.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstRunUiTest extends BrowserTest {

    private static final Pattern LINK = Pattern.compile("http://localhost:(\\d+)(/setup\\?token=[A-Za-z0-9_-]{43})");

    FirstRunUiTest() {
        super("first-run");
    }

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.identity.admin-email", "", "nosso.identity.admin-password", "");
    }

    @Test
    void theLinkFromTheLogCreatesTheAdministratorAndSignsIn(CapturedOutput output) {
        String link = null;
        Matcher found = LINK.matcher(output.getOut());
        while (found.find()) {
            if (server.baseUrl().endsWith(":" + found.group(1))) {
                link = found.group(2);
            }
        }
        assertThat(link).as("this server's setup link in the log").isNotNull();

        open(new NewContextOptions());
        page.navigate("/setup");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("?token=");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create and sign in"))).isDisabled();

        page.navigate(link);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Create the administrator"))).isVisible();
        page.getByLabel("Name").fill("Ada Admin");
        page.getByLabel("Email").fill("ada@nosso.test");
        page.getByLabel("Password").fill("a-long-admin-password");
        Browser.screenshot(page, "first-run");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create and sign in")).click();

        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).isVisible();
        assertThat(page.getByText("Ada Admin")).isVisible();
        assertThat(page).hasURL(server.baseUrl() + "/");
        Browser.screenshot(page, "first-run-signed-in");
        assertNoProblems();
        assertThat(server.anonymous().login("ada@nosso.test", "a-long-admin-password").get("/api/v1/auth/me")
                .expect(200).text("/role")).isEqualTo("admin");
    }
}
