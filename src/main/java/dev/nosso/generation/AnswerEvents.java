package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageStatus;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an answer as Server-Sent Events: {@code delta} events whose {@code id:} is the offset in the text
 * after them, then {@code done} or {@code error}. A live answer is followed until it ends; an ended one is
 * replayed and closed. Written by hand on the request's own (virtual) thread, which blocks on the
 * {@link LiveAnswer} between events: a slow client only ever holds its own thread.
 */
@Component
class AnswerEvents {

    private final GenerationSettings settings;
    private final JsonMapper json;

    AnswerEvents(GenerationSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    OutputStream open(HttpServletResponse response) throws IOException {
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // nginx would otherwise hold events back
        return response.getOutputStream();
    }

    /** The answer from {@code offset}, as it grows, until it ends. */
    void follow(AnswerFeed live, int offset, OutputStream out) throws IOException, InterruptedException {
        int at = offset;
        out.flush(); // the headers now: the client knows it is attached before the first token
        while (true) {
            AnswerFeed.Read read = live.readFrom(at, settings.heartbeat());
            if (!read.text().isEmpty()) {
                delta(out, read.text(), read.end());
                at = read.end();
            }
            if (read.finished() != null) {
                end(out, read.finished());
                return;
            }
            if (read.text().isEmpty()) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
    }

    /** An answer that nobody generates any more, from {@code offset}, as stored. */
    void replay(Message message, int offset, OutputStream out) throws IOException {
        String text = message.content();
        if (offset < text.length()) {
            delta(out, text.substring(offset), text.length());
        }
        if (message.unfinished()) {
            // Left by a process that is gone (recovery marks it at the next start): nothing will follow.
            event(out, "error", text.length(), Map.of("reason", "This answer is not being generated any more.",
                    "message", message));
        } else {
            end(out, message);
        }
        out.flush();
    }

    private void end(OutputStream out, Message message) throws IOException {
        int at = message.content().length();
        if (message.status() == MessageStatus.ERROR) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", message.error());
            data.put("message", message);
            event(out, "error", at, data);
        } else {
            event(out, "done", at, message);
        }
        out.flush();
    }

    private void delta(OutputStream out, String text, int end) throws IOException {
        event(out, "delta", end, Map.of("text", text));
    }

    void event(OutputStream out, String name, int id, Object data) throws IOException {
        // JSON never contains a raw line break, so each event's data is one line.
        String frame = "id: " + id + "\nevent: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
    }

}
