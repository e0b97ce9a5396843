package dev.nosso.provider;

import java.util.function.Consumer;

/**
 * Turns the lines of a {@code text/event-stream} into events, following the parts of the WHATWG rules that a
 * completion stream uses: {@code data} lines accumulate (joined by newlines) until a blank line dispatches them,
 * lines starting with a colon are comments (keep-alives, router notes), {@code event} names the event, other
 * fields are ignored, and an event cut off by the end of the stream is dropped.
 */
final class SseLineParser {

    record Event(String name, String data) {
    }

    private final Consumer<Event> sink;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String name;
    private boolean first = true;

    SseLineParser(Consumer<Event> sink) {
        this.sink = sink;
    }

    /** One line, without its terminator. */
    void line(String line) {
        if (first) {
            first = false;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> name = value;
            default -> {
                // id, retry and unknown fields mean nothing to a completion
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            Event event = new Event(name == null ? "message" : name, data.toString());
            data.setLength(0);
            hasData = false;
            name = null;
            sink.accept(event);
        } else {
            name = null;
        }
    }
}
