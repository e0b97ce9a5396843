package dev.nosso.support;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, driven by Playwright, headless. Playwright never downloads a browser of its own here.
 * Without {@code /usr/bin/chromium} the calling tests are skipped with the reason printed, unless
 * {@code NOSSO_REQUIRE_BROWSER=1} (as in CI), which makes a missing browser a failure.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser chromium;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser chromium) {
        this.playwright = playwright;
        this.chromium = chromium;
    }

    /** Starts Chromium, or aborts the calling test (class, in a {@code @BeforeAll}) when it is not installed. */
    public static Browser launch() {
        if (!Files.isExecutable(CHROMIUM)) {
            String reason = "No Chromium at " + CHROMIUM + " (apt-get install chromium)";
            if ("1".equals(System.getenv("NOSSO_REQUIRE_BROWSER"))) {
                throw new AssertionError(reason + ", and NOSSO_REQUIRE_BROWSER=1 requires one.");
            }
            System.out.println("Skipping browser tests: " + reason + ".");
            Assumptions.abort(reason);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new Browser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(ARGS)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh profile (no cookies, no storage) whose relative URLs resolve against the server. */
    public BrowserContext newContext(String baseUrl) {
        return newContext(new com.microsoft.playwright.Browser.NewContextOptions().setBaseURL(baseUrl));
    }

    public BrowserContext newContext(com.microsoft.playwright.Browser.NewContextOptions options) {
        if (options.locale == null) {
            options.setLocale("en-US");
        }
        BrowserContext context = chromium.newContext(options);
        context.setDefaultTimeout(15_000);
        return context;
    }

    /** Saves what the page shows as target/screenshots/{name}.png, for a person to look at. */
    public static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(false));
    }

    @Override
    public void close() {
        chromium.close();
        playwright.close();
    }
}
