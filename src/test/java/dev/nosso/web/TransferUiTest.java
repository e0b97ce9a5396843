package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.nosso.support.BrowserTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Importing and exporting in a real Chromium: a ChatGPT export chosen in Settings is imported with its report
 * shown and its chats in the list; all chats download as Nosso's JSON from Settings, and one chat as Markdown
 * from its menu.
 */
class TransferUiTest extends BrowserTest {

    TransferUiTest() {
        super("transfer");
    }

    @Test
    void aChatGptExportIsImportedFromSettingsAndChatsDownloadFromSettingsAndTheChatMenu() throws IOException {
        signedIn();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();

        page.getByLabel("Import chats").setInputFiles(new FilePayload("conversations.json", "application/json",
                fixture("chatgpt-conversations.json")));

        Locator imports = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your imports"));
        assertThat(imports).containsText("imported");
        assertThat(imports).containsText("2 new chats, 0 chats continued, 8 messages imported, 0 already here.");
        assertThat(imports).containsText("hidden system messages: 1");
        assertThat(imports).containsText("tool messages: 2");
        Locator chat = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Receita de pão de queijo"));
        assertThat(chat).isVisible();

        Download all = page.waitForDownload(() -> page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Export all chats (JSON)")).click());
        assertThat(all.suggestedFilename()).startsWith("nosso-chats-").endsWith(".json");
        String json = Files.readString(all.path(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"format\":\"nosso.chats\"").contains("Receita de pão de queijo");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Actions for Receita de pão de queijo"))
                .click();
        Download one = page.waitForDownload(() -> page.getByRole(AriaRole.MENUITEM,
                new Page.GetByRoleOptions().setName("Export (Markdown)")).click());
        assertThat(one.suggestedFilename()).isEqualTo("Receita-de-pão-de-queijo.md");
        assertThat(Files.readString(one.path(), StandardCharsets.UTF_8)).startsWith("# Receita de pão de queijo")
                .contains("Como faço pão de queijo? 🧀");
        assertNoProblems();
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = TransferUiTest.class.getResourceAsStream("/transfer/" + name)) {
            return in.readAllBytes();
        }
    }
}
