package dev.nosso.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.nosso.support.Browser;
import dev.nosso.support.BrowserTest;
import dev.nosso.support.Script;
import dev.nosso.support.TestImages;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The first minutes and images on the chat page, in a real Chromium against the real server and a scripted
 * model: starting questions in a new chat; an image attached or pasted, shown in the question and opened whole,
 * reaching the model as an image part; a refused image leaving no empty chat behind; and, with no model, the
 * administrator led to connect one while a user is told to wait. On a desktop and on a phone, in English and
 * in Portuguese.
 */
class ImagesUiTest extends BrowserTest {

    private static final NewContextOptions PHONE = new NewContextOptions().setViewportSize(390, 844)
            .setIsMobile(true).setHasTouch(true);

    ImagesUiTest() {
        super("images");
    }

    @Override
    protected Map<String, Object> settings() {
        // The default Ollama address, where nothing listens on a test machine: probed, and found missing quietly.
        return Map.of("nosso.models.refresh-unknown-after", "0s", "nosso.ollama.url", "http://127.0.0.1:11434");
    }

    @Test
    void anAttachedImageIsShownInTheQuestionOpensWholeAndReachesTheModel() {
        upstream.reply(MODEL, Script.tokens("Red and blue."));
        signedIn();
        FileChooser chooser = page.waitForFileChooser(() ->
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Attach files or images")).click());
        chooser.setFiles(new FilePayload("square.png", "image/png", TestImages.png(30, 20)));
        Locator chip = page.getByRole(AriaRole.LISTITEM, new Page.GetByRoleOptions().setName("square.png"));
        assertThat(chip.getByRole(AriaRole.STATUS)).hasText("Ready");
        assertThat(chip.locator("img.thumb")).isVisible();

        send("What colours are in it?");
        Locator question = page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName("You")).last();
        Locator thumbnail = question.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Open the image square.png"));
        assertThat(thumbnail).isVisible();
        assertThat(lastAnswer().locator(".body")).hasText("Red and blue.");
        assertThat(chip).hasCount(0);
        String sent = upstream.lastChat().json().at("/messages/0/content/1/image_url/url").asString();
        assertThat(sent).startsWith("data:image/png;base64,");

        thumbnail.click();
        Locator opened = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("square.png"));
        assertThat(opened.locator("img")).isVisible();
        assertThat((Boolean) opened.locator("img").evaluate("img => img.complete && img.naturalWidth === 30")).isTrue();
        Browser.screenshot(page, "images-opened");
        opened.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();
        assertThat(opened).hasCount(0);

        page.reload(); // the question keeps its image
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open the image square.png"))).isVisible();
        assertNoProblems();
    }

    @Test
    void refusedImagesLeaveNoEmptyChatBehind() {
        signedIn();
        byte[] cut = java.util.Arrays.copyOf(TestImages.png(100, 100), 60);
        for (int i = 1; i <= 3; i++) {
            String name = "broken" + i + ".png";
            FileChooser chooser = page.waitForFileChooser(() ->
                    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Attach files or images")).click());
            chooser.setFiles(new FilePayload(name, "image/png", cut));
            assertThat(page.getByRole(AriaRole.LISTITEM, new Page.GetByRoleOptions().setName(name))
                    .getByRole(AriaRole.STATUS)).hasText(Pattern.compile("^Failed: The image cannot be decoded"));
        }
        assertThat(page).hasURL(Pattern.compile("/$"));
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Chats"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("New chat"))).hasCount(0);
        page.reload();
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Chats"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("New chat"))).hasCount(0);
        problems.removeIf(problem -> problem.contains("Failed to load resource"));
        assertNoProblems();
    }

    @Test
    void onAPhoneInPortugueseAPastedImageGoesWithTheQuestion() {
        upstream.reply(MODEL, Script.tokens("Um quadrado."));
        String email = newAccount();
        open(new NewContextOptions().setViewportSize(390, 844).setIsMobile(true).setHasTouch(true).setLocale("pt-BR"));
        page.navigate("/signin");
        page.getByLabel("E-mail").fill(email);
        page.getByLabel("Senha").fill(dev.nosso.support.TestServer.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Entrar")).click();
        Locator box = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Mensagem"));
        assertThat(box).isVisible();
        assertThat(page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Sugestões para começar"))).isVisible();

        box.evaluate("""
                (box, base64) => {
                    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
                    const data = new DataTransfer();
                    data.items.add(new File([bytes], "image.png", {type: "image/png"}));
                    box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
                }
                """, Base64.getEncoder().encodeToString(TestImages.png(12, 12)));
        Locator chip = page.getByRole(AriaRole.LISTITEM, new Page.GetByRoleOptions().setName("Imagem colada 1.png"));
        assertThat(chip.getByRole(AriaRole.STATUS)).hasText("Pronto");
        box.fill("O que é isto?");
        box.press("Enter");

        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Abrir a imagem Imagem colada 1.png")))
                .isInViewport();
        assertThat(page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName("Assistente")).last()
                .locator(".body")).hasText("Um quadrado.");
        assertThat(upstream.lastChat().json().at("/messages/0/content/1/type").asString()).isEqualTo("image_url");
        Browser.screenshot(page, "images-phone-pt");
        assertNoProblems();
    }

    @Test
    void aNewChatOffersStartingQuestionsThatSendThemselves() {
        upstream.reply(MODEL, Script.tokens("A table of buckets."));
        signedIn(PHONE);
        Locator starters = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Suggestions to start with"));
        assertThat(starters.getByRole(AriaRole.BUTTON)).hasCount(4);
        assertThat(starters).isInViewport();
        Browser.screenshot(page, "images-starters-phone");
        starters.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Explain how a hash table works")).click();

        assertThat(page.getByRole(AriaRole.ARTICLE, new Page.GetByRoleOptions().setName("You")).locator(".body"))
                .hasText("Explain how a hash table works, with a short example.");
        assertThat(lastAnswer().locator(".body")).hasText("A table of buckets.");
        assertThat(starters).hasCount(0);
        assertNoProblems();
    }

    @Test
    void withoutAModelTheAdministratorIsLedToConnectOneAndAUserIsToldToWait() {
        String openai = connectionId("openai");
        admin().patch("/api/v1/admin/connections/" + openai, Map.of("enabled", false)).expect(200);
        try {
            signedIn(); // a user
            Locator waiting = page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("No model yet"));
            assertThat(waiting).isVisible();
            assertThat(page.getByText("is not answering")).hasCount(0); // the default Ollama address is not a fault
            assertThat(page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Model"))).isHidden();
            context.close();

            open(PHONE);
            page.navigate("/signin");
            signIn(dev.nosso.support.TestServer.ADMIN_EMAIL, dev.nosso.support.TestServer.ADMIN_PASSWORD);
            Locator card = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Connect a model"));
            assertThat(card).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(15_000));
            assertThat(card).containsText("No Ollama was found at the default address");
            Browser.screenshot(page, "images-connect-model-phone");
            card.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Add a connection")).click();
            assertThat(page).hasURL(Pattern.compile("/admin#connections$"));
            Locator connections = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Model connections"));
            assertThat(connections).isVisible();
            // Tried before it is saved: the models found, or why not.
            page.getByLabel("Kind").selectOption("openai");
            page.getByLabel("Base URL").fill(upstream.openAiBaseUrl().toString());
            connections.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Test").setExact(true)).click();
            assertThat(connections.getByText("Works: 1 model. " + MODEL)).isVisible();
            assertNoProblems();
        } finally {
            admin().patch("/api/v1/admin/connections/" + openai, Map.of("enabled", true)).expect(200);
        }
    }

    private String connectionId(String name) {
        for (var c : admin().get("/api/v1/admin/connections").expect(200).json()) {
            if (c.get("name").asString().equals(name)) {
                return c.get("id").asString();
            }
        }
        throw new AssertionError("no connection " + name);
    }
}
