package dev.nosso.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One open Server-Sent Events response, read on a virtual thread of its own so that a test can wait for
 * the next event with a time limit, or hang up in the middle as a reloading page does.
 */
public final class SseStream implements AutoCloseable {

    private static final Event END = new Event(null, "(end of stream)", null);

    private final int status;
    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /** One event; {@code data} is parsed as JSON. */
    public record Event(String id, String name, JsonNode data) {

        public String text() {
            return data.path("text").asString();
        }

        public int offset() {
            return Integer.parseInt(id);
        }
    }

    SseStream(int status, InputStream body) {
        this.status = status;
        this.body = body;
        Thread.ofVirtual().name("sse-reader").start(this::read);
    }

    public int status() {
        return status;
    }

    /** The next event, failing the test if none comes in time or the stream ended. */
    public Event next(Duration timeout) {
        try {
            Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("No event within " + timeout);
            }
            if (event == END) {
                throw new AssertionError("The stream ended before the next event");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every event up to and including {@code done}, {@code error} or {@code failed} (a job). */
    public List<Event> untilEnd(Duration timeout) {
        List<Event> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            all.add(event);
            if (event.name().equals("done") || event.name().equals("error") || event.name().equals("failed")) {
                return all;
            }
        }
    }

    /** Every event until the server closes the stream, failing the test if it is still open after {@code timeout}. */
    public List<Event> untilClosed(Duration timeout) {
        List<Event> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("The stream was still open after " + timeout + "; read " + all);
                }
                if (event == END) {
                    return all;
                }
                all.add(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads deltas until the text has at least {@code chars} characters; returns the deltas read. */
    public List<Event> deltasUntil(int chars, Duration timeout) {
        List<Event> read = new ArrayList<>();
        int total = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (total < chars) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            read.add(event);
            if (!event.name().equals("delta")) {
                throw new AssertionError("Expected deltas, got " + event);
            }
            total += event.text().length();
        }
        return read;
    }

    /** The text of the delta events among {@code events}, joined. */
    public static String text(List<Event> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.name().equals("delta")).forEach(e -> text.append(e.text()));
        return text.toString();
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, parse(data.toString())));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            // closed by the test, or by the server
        } finally {
            events.add(END);
        }
    }

    /** JSON, or the text as a string node for data that is not (OpenAI's closing {@code [DONE]}). */
    private static JsonNode parse(String data) {
        try {
            return ApiClient.JSON.readTree(data);
        } catch (RuntimeException notJson) {
            return ApiClient.JSON.getNodeFactory().stringNode(data);
        }
    }

    /** Hangs up, as a page that reloads does. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
