package dev.nosso.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The UI as plain HTTP sees it: every route of the app answers the same page, public and under a strict
 * Content-Security-Policy; its files and the WebJars are public and revalidated rather than re-downloaded;
 * the API keeps its 401 without a Basic challenge, and an unknown path is still a 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestDatabase database;
    private TestServer server;

    @BeforeAll
    void start() {
        database = TestDatabase.fresh(Dialect.SQLITE);
        server = TestServer.start(database);
    }

    @AfterAll
    void stop() {
        server.close();
        database.close();
    }

    @Test
    void everyRouteOfTheAppIsTheSamePublicPageUnderAStrictPolicy() throws Exception {
        for (String path : new String[] {"/", "/c/" + UUID.randomUUID(), "/signin", "/signup", "/setup?token=x",
                "/settings", "/admin/users", "/knowledge"}) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).contains("<script type=\"module\" src=\"/app/app.js\">");
            String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).contains("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                    "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        }
    }

    @Test
    void theAppsFilesAndWebJarsArePublicAndRevalidated() throws Exception {
        for (String path : new String[] {"/app/app.js", "/app/app.css", "/webjars/marked/lib/marked.esm.js",
                "/webjars/dompurify/dist/purify.es.mjs", "/webjars/highlightjs/highlight.min.js"}) {
            HttpResponse<String> file = get(path);
            assertThat(file.statusCode()).as(path).isEqualTo(200);
            assertThat(file.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
            String lastModified = file.headers().firstValue("Last-Modified").orElseThrow();
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("If-Modified-Since", lastModified).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as(path).isEqualTo(304);
        }
    }

    @Test
    void theAppsFilesNeverLookUpACredential() throws Exception {
        // An unknown key on the API is refused at once; on the app's files it is never looked at (no query).
        String unknownKey = "Bearer nosso_" + "0".repeat(40);
        for (String path : new String[] {"/", "/app/app.js", "/webjars/marked/lib/marked.esm.js"}) {
            HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Authorization", unknownKey).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/chats"))
                .header("Authorization", unknownKey).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("invalid-api-key");
    }

    @Test
    void theApiStillRefusesWithoutAChallengeAndUnknownPathsAreNotFound() throws Exception {
        HttpResponse<String> api = get("/api/v1/chats");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(get("/app/no-such-module.js").statusCode()).isEqualTo(404);
        assertThat(get("/c/not-a-chat-id/deeper").statusCode()).isEqualTo(404);
    }

    @Test
    void anEncodedApiPathIsNotMistakenForAPage() throws Exception {
        // "%61" is "a": the path the controllers see is /api/..., so the rules must see it the same way.
        for (String path : new String[] {"/%61pi/v1/admin/users", "/%61pi/v1/chats", "/%76%31/models",
                "/%61ctuator/prometheus"}) {
            assertThat(get(path).statusCode()).as(path).isIn(401, 400, 404);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
