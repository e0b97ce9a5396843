package dev.nosso.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser-like HTTP client for tests: it keeps cookies, and sends the CSRF token from the
 * {@code XSRF-TOKEN} cookie back in the {@code X-XSRF-TOKEN} header on writes, as the web UI does.
 * {@link #withBearer(String)} gives an API-key client instead, which has no cookies and needs no token.
 */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final CookieManager cookies;
    private final HttpClient http;
    private final String bearer;
    private final boolean sendCsrf;

    ApiClient(String baseUrl) {
        this(baseUrl, new CookieManager(), null, true);
    }

    private ApiClient(String baseUrl, CookieManager cookies, String bearer, boolean sendCsrf) {
        this.baseUrl = baseUrl;
        this.cookies = cookies;
        this.bearer = bearer;
        this.sendCsrf = sendCsrf;
        // HTTP/1.1 as browsers speak to Nosso; the default h2c upgrade attempt only adds work per connection.
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (bearer == null) {
            builder.cookieHandler(cookies);
        }
        this.http = builder.build();
    }

    public ApiClient login(String email, String password) {
        post("/api/v1/auth/login", Map.of("email", email, "password", password)).expect(200);
        return this;
    }

    /** A client that authenticates with an API key only. */
    public ApiClient withBearer(String apiKey) {
        return new ApiClient(baseUrl, new CookieManager(), apiKey, false);
    }

    /** The same credentials (cookies, or key) sent to another server: another node behind the same name. */
    public ApiClient at(String otherBaseUrl) {
        return new ApiClient(otherBaseUrl, cookies, bearer, sendCsrf);
    }

    /** The same cookies, but writes go without the CSRF header: what a forged cross-site request looks like. */
    public ApiClient withoutCsrf() {
        return new ApiClient(baseUrl, cookies, bearer, false);
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst();
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    /** A GET that accepts any representation (metrics, pages). */
    public Response getAny(String path) {
        return send("GET", path, null, "*/*", new String[0]);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /**
     * Opens an SSE stream ({@code GET}) with extra header name/value pairs such as {@code Last-Event-ID}. A
     * refusal (4xx) is read whole and thrown as an assertion with its body.
     */
    public SseStream stream(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        credentials("GET", request);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return open("GET " + path, request);
    }

    /** POSTs JSON asking for {@code text/event-stream}, and reads the answer as a stream. */
    public SseStream streamPost(String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        credentials("POST", request);
        return open("POST " + path, request);
    }

    private SseStream open(String what, HttpRequest.Builder request) {
        request.header("Accept", "text/event-stream");
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                try (java.io.InputStream body = response.body()) {
                    throw new AssertionError(what + " answered " + response.statusCode() + ": "
                            + new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return new SseStream(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** POSTs a JSON text without a {@code Content-Length}, in chunks, as a streaming client does. */
    public Response postChunked(String path, String json) {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json, application/problem+json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)));
        return exchange("POST", path, request);
    }

    /**
     * POSTs a {@code multipart/form-data} body, built here by hand: the file as the part {@code file}, then each
     * field as a part of its own.
     */
    public Response upload(String path, String fileName, String contentType, byte[] content, Map<String, String> fields) {
        String boundary = "nosso-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(utf8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(utf8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(utf8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json, application/problem+json")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return exchange("POST", path, request);
    }

    /** GETs raw bytes with any representation accepted, such as a downloaded file. */
    public HttpResponse<byte[]> download(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "*/*").GET();
        credentials("GET", request);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends a request; a {@code String} body goes out verbatim (for malformed JSON), anything else as JSON. */
    public Response send(String method, String path, Object body) {
        return send(method, path, body, "application/json, application/problem+json", new String[0]);
    }

    /**
     * Sends with extra header name/value pairs, for what a well-behaved client would not send: a session
     * cookie kept after logout, a Bearer key beside a cookie, a forwarded client address.
     */
    public Response send(String method, String path, Object body, String... headers) {
        return send(method, path, body, "application/json, application/problem+json", headers);
    }

    private Response send(String method, String path, Object body, String accept, String[] headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", accept);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        credentials(method, request);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return send(method + " " + path, request);
    }

    /** The API key, or for a cookie client's write the CSRF token, as this client sends them. */
    private void credentials(String method, HttpRequest.Builder request) {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (sendCsrf && !method.equals("GET")) {
            cookie("XSRF-TOKEN").ifPresent(token -> request.header("X-XSRF-TOKEN", token));
        }
    }

    private Response exchange(String method, String path, HttpRequest.Builder request) {
        credentials(method, request);
        return send(method + " " + path, request);
    }

    private Response send(String what, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(what, response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A response with its body parsed when it is JSON. */
    public record Response(String request, int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        }

        /** A value by JSON pointer, e.g. {@code at("/items/0/id")}. */
        public JsonNode at(String pointer) {
            return json().at(pointer);
        }

        public String text(String pointer) {
            return json().at(pointer).asString();
        }

        /** Asserts the status, showing the body when it differs. */
        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError(request + ": expected " + expected + " but got " + status + ": " + body);
            }
            return this;
        }

        /** Asserts a problem response: the status and the stable type slug. */
        public Response expectProblem(int expectedStatus, String typeSlug) {
            expect(expectedStatus);
            String type = text("/type");
            if (!type.equals("urn:nosso:problem:" + typeSlug)) {
                throw new AssertionError(request + ": expected problem type " + typeSlug + " but got: " + body);
            }
            return this;
        }
    }
}
