package dev.nosso.provider;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP both protocols share: one JDK client, JSON requests with the endpoint's key, bounded listings, a
 * streamed body read line by line under an idle watchdog and a cancellation, and every fault turned into a
 * {@link ProviderFailure} whose reason a user can read and that never carries the key.
 */
final class ProviderHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    // What is quoted of a provider's own words; the whole reason is bounded again by ProviderFailure.
    private static final int MAX_QUOTE = 120;
    private static final int MAX_ERROR_BODY = 16 * 1024;

    /** What a client does with each line of a streamed body; true once the answer is complete. */
    interface LineHandler {
        boolean line(String line);
    }

    private final HttpClient client;
    private final ProviderTimeouts timeouts;

    ProviderHttp(ProviderTimeouts timeouts) {
        this.timeouts = timeouts;
        // HTTP/1.1: every OpenAI-compatible server and Ollama speak it, and over plain http the default would
        // try an h2c upgrade on each new connection for nothing.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeouts.connect()).build();
    }

    ProviderTimeouts timeouts() {
        return timeouts;
    }

    /** {@code base} and {@code path} joined by one slash, whether or not the base ends with one. */
    static URI resolve(URI base, String path) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + "/" + path);
    }

    JsonNode get(Endpoint endpoint, String path, Duration timeout) {
        return exchange(endpoint, request(endpoint, path).GET(), timeout);
    }

    JsonNode post(Endpoint endpoint, String path, JsonNode body, Duration timeout) {
        return exchange(endpoint, request(endpoint, path).POST(json(body)), timeout);
    }

    // The deadline covers the body too (a request timeout alone stops at the headers): a listing that trickles
    // in must not hold up the catalog.
    private JsonNode exchange(Endpoint endpoint, HttpRequest.Builder request, Duration timeout) {
        CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw late(endpoint, timeout);
        } catch (ExecutionException e) {
            // The request's own timeout (the same one, a backstop for the headers) may win the race.
            if (e.getCause() instanceof HttpTimeoutException && !(e.getCause() instanceof HttpConnectTimeoutException)) {
                throw late(endpoint, timeout);
            }
            throw unreachable(endpoint, e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderFailure("Interrupted while waiting for the provider.", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw httpFailure(endpoint, response.statusCode(), response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new ProviderFailure("The provider answered something that is not JSON.");
        }
    }

    private static ProviderFailure late(Endpoint endpoint, Duration timeout) {
        return new ProviderFailure("The provider did not answer within " + describe(timeout) + ".");
    }

    /**
     * Posts {@code body} and hands each line of the answer to {@code handler} as it arrives, until the handler
     * says the answer is complete or the body ends. The idle timeout covers the wait for the headers as well as
     * each gap in the body. A cancellation closes the body, which unblocks the read at once.
     *
     * @return false when cancelled (whatever the read then saw), true otherwise
     * @throws ProviderFailure for an HTTP error, an unreachable provider, an idle stream or a dropped connection
     */
    boolean streamLines(Endpoint endpoint, String path, JsonNode body, Cancellation cancellation,
                        LineHandler handler) {
        if (cancellation.isCancelled()) {
            return false;
        }
        HttpRequest request = request(endpoint, path).header("Accept", "text/event-stream, application/x-ndjson")
                .POST(json(body)).build();
        var abort = new Abort();
        try (var watchdog = new IdleWatchdog(timeouts.idle(), abort)) {
            cancellation.onCancel(abort);
            HttpResponse<InputStream> response;
            try {
                CompletableFuture<HttpResponse<InputStream>> future =
                        client.sendAsync(request, BodyInputStream.handler());
                abort.future(future);
                response = future.get();
            } catch (CancellationException | ExecutionException e) {
                if (cancellation.isCancelled()) {
                    return false;
                }
                if (watchdog.fired()) {
                    throw new ProviderFailure("The provider did not start answering within "
                            + describe(timeouts.idle()) + ".");
                }
                throw unreachable(endpoint, e.getCause() == null ? e : e.getCause());
            } catch (InterruptedException e) {
                abort.run();
                Thread.currentThread().interrupt();
                throw new ProviderFailure("Interrupted while waiting for the provider.", e);
            }
            InputStream raw = response.body();
            abort.body(raw);
            try {
                var watched = new WatchedInputStream(raw, watchdog);
                if (response.statusCode() / 100 != 2) {
                    String error = new String(watched.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                    throw httpFailure(endpoint, response.statusCode(), error);
                }
                var reader = new BufferedReader(new InputStreamReader(watched, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (handler.line(line)) {
                        return true;
                    }
                }
            } catch (IOException e) {
                if (cancellation.isCancelled()) {
                    return false;
                }
                if (watchdog.fired()) {
                    throw idle();
                }
                throw new ProviderFailure("The connection to the provider dropped before the answer was complete.", e);
            } catch (ProviderFailure e) {
                // A body closed mid-line hands the reader half a line, which fails to parse: the cut is the cause.
                if (cancellation.isCancelled()) {
                    return false;
                }
                if (watchdog.fired()) {
                    throw idle();
                }
                throw e;
            } finally {
                abort.run(); // releases the connection, whether or not the body was read to its end
            }
            // A closed body reads as a clean end, so the end alone cannot tell a cancel or a timeout from the
            // provider finishing: the flags can.
            if (cancellation.isCancelled()) {
                return false;
            }
            if (watchdog.fired()) {
                throw idle();
            }
            return true;
        }
    }

    ProviderFailure idle() {
        return new ProviderFailure("The provider sent nothing for " + describe(timeouts.idle())
                + " (idle timeout); the answer was abandoned.");
    }

    // The line is quoted through clean(): a provider that echoes the request may echo its key (found by fuzzing).
    static ProviderFailure malformed(Endpoint endpoint, String line) {
        return new ProviderFailure("The provider sent a malformed line: " + clean(endpoint, line));
    }

    /** An error the provider reported inside a stream: a JSON error object of either protocol, or plain text. */
    static ProviderFailure reported(Endpoint endpoint, String data) {
        String message = null;
        try {
            message = errorMessage(JSON.readTree(data));
        } catch (JacksonException notJson) {
            // plain text: the text is the message
        }
        return new ProviderFailure("The provider reported an error while answering: "
                + clean(endpoint, message == null ? data : message));
    }

    /** Parses one line of a stream, failing with a reason that quotes it. */
    static JsonNode parseLine(Endpoint endpoint, String line) {
        try {
            return JSON.readTree(line);
        } catch (JacksonException e) {
            throw malformed(endpoint, line);
        }
    }

    /** An integer field, or null when it is missing, null or not an int (a count the provider did not give). */
    static Integer integer(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
    }

    /** The message in an error object of either protocol, or null when {@code json} carries none. */
    static String errorMessage(JsonNode json) {
        JsonNode error = json.path("error");
        if (error.isString()) {
            return error.stringValue();
        }
        if (error.isObject()) {
            JsonNode message = error.path("message");
            return message.isString() ? message.stringValue() : error.toString();
        }
        for (String field : new String[] {"message", "detail"}) {
            if (json.path(field).isString()) {
                return json.path(field).stringValue();
            }
        }
        return null;
    }

    /**
     * Removes the key and the provider's address wherever a provider (or the JDK's own message) echoed them,
     * and keeps a quote short enough to show: users may read it, and they never learn where a provider is.
     */
    static String clean(Endpoint endpoint, String text) {
        String key = endpoint.apiKey();
        if (key != null && key.length() >= 4) {
            text = text.replace(key, FailureReasons.REDACTED);
        }
        String host = endpoint.baseUrl().getHost();
        if (host != null && host.length() >= 3) {
            text = text.replace(origin(endpoint), "the provider").replace(host, "the provider");
        }
        return FailureReasons.truncate(text.strip(), MAX_QUOTE);
    }

    static String describe(Duration duration) {
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + " ms";
        }
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    private HttpRequest.Builder request(Endpoint endpoint, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(endpoint.baseUrl(), path))
                .header("Content-Type", "application/json");
        if (endpoint.apiKey() != null && !endpoint.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        return request;
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8);
    }

    private static ProviderFailure httpFailure(Endpoint endpoint, int status, String body) {
        String message = null;
        try {
            message = errorMessage(JSON.readTree(body));
        } catch (JacksonException notJson) {
            if (!body.isBlank() && !body.stripLeading().startsWith("<")) { // an HTML error page says nothing useful
                message = body;
            }
        }
        return new ProviderFailure("The provider answered " + status
                + (message == null || message.isBlank() ? "." : ": " + clean(endpoint, message)));
    }

    private ProviderFailure unreachable(Endpoint endpoint, Throwable cause) {
        String where = "Could not reach the provider";
        String reason = switch (cause) {
            case HttpConnectTimeoutException e -> where + " within " + describe(timeouts.connect()) + " (connect timeout).";
            case ConnectException e when e.getCause() instanceof UnresolvedAddressException ->
                    where + " (unknown host).";
            case ConnectException e -> where + " (connection refused).";
            case SSLException e -> where + " (TLS failed: " + clean(endpoint, String.valueOf(e.getMessage())) + ").";
            default -> where + " (" + clean(endpoint, String.valueOf(cause.getMessage())) + ").";
        };
        return new ProviderFailure(reason, cause);
    }

    /**
     * Scheme, host and port only: a base URL may carry credentials in its user-info or query. For logs and
     * the administrators' own views, never for a reason a user may read.
     */
    static String origin(Endpoint endpoint) {
        URI uri = endpoint.baseUrl();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** Stops one streamed exchange from any thread: before the headers by cancelling, after by closing the body. */
    private static final class Abort implements Runnable {

        private CompletableFuture<?> future;
        private InputStream body;
        private boolean done;

        synchronized void future(CompletableFuture<?> future) {
            this.future = future;
            if (done) {
                future.cancel(true);
            }
        }

        void body(InputStream body) {
            boolean closeNow;
            synchronized (this) {
                this.body = body;
                closeNow = done;
            }
            if (closeNow) {
                close(body);
            }
        }

        @Override
        public void run() {
            CompletableFuture<?> f;
            InputStream b;
            synchronized (this) {
                done = true;
                f = future;
                b = body;
            }
            if (f != null) {
                f.cancel(true);
            }
            if (b != null) {
                close(b);
            }
        }

        private static void close(InputStream body) {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing is how we stop; a failure to close changes nothing for the reader
            }
        }
    }

    /** Tells the watchdog about every byte that arrives. */
    private static final class WatchedInputStream extends FilterInputStream {

        private final IdleWatchdog watchdog;

        WatchedInputStream(InputStream in, IdleWatchdog watchdog) {
            super(in);
            this.watchdog = watchdog;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                watchdog.touch();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                watchdog.touch();
            }
            return n;
        }
    }
}
