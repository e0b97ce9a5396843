package dev.nosso.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that are broken before any controller sees them (bad percent-encoding, bytes that are not UTF-8,
 * encoded slashes, double slashes, headers too large), sent byte for byte over a socket as a hostile client
 * would, without signing in: each gets a 400 problem detail, with no stack trace and no HTML page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {

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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/actuator/health?x=%ff",
            "/api/v1/chats?cursor=%00%ff'--",
            "/api/v1/search/chats?q=%ff%fe",
            "/api/v1/chats?limit=%zz",
            "/api/v1/chats/%ff",
            "/api/v1/chats/..%2F..%2Fadmin",
            "/api/v1/chats/%2e%2e/x",
            "//api/v1/chats",
            "/api/v1/chats;jsessionid=x",
            "/app/%ff.js",
    })
    void aMalformedTargetGetsAProblemNotAStackTraceOrAPage(String target) throws IOException {
        Raw response = send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertIsAProblem(response);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/chats?cursor=%00%ff'--", "/api/v1/search/chats?q=%ff%fe", "/api/v1/chats?limit=%zz"})
    void aMalformedQueryIsRefusedAsSuchForASignedInCallerToo(String target) throws IOException {
        String key = server.admin().post("/api/v1/api-keys", java.util.Map.of("name", "probe")).expect(201).text("/key");

        Raw response = send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertIsAProblem(response);
        assertThat(response.body()).contains("malformed-query");
    }

    @ParameterizedTest(name = "header of {0} bytes")
    @ValueSource(ints = {9_000, 70_000})
    void headersOverTheLimitGetAProblem(int size) throws IOException {
        Raw response = send("GET /api/v1/chats HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(size)
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).as(response.text()).isBetween(400, 431);
        assertIsAProblem(response);
    }

    private static void assertIsAProblem(Raw response) {
        assertThat(response.header("content-type")).as(response.text()).startsWith("application/problem+json");
        assertThat(response.body()).as(response.text()).contains("\"status\"").doesNotContain("<html")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("org.apache");
        assertThat(response.body().length()).isLessThan(1_000);
    }

    /** The status line, headers and body of a response read to its end. */
    record Raw(String text) {
        int status() {
            return Integer.parseInt(text.substring(9, 12));
        }

        String header(String name) {
            for (String line : head().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }

        String head() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private Raw send(String request) throws IOException {
        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return new Raw(all.toString(StandardCharsets.UTF_8));
        }
    }
}
