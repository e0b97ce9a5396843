package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Messages;
import dev.nosso.identity.Caller;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * An answer as Server-Sent Events, from any offset: {@code id:} is the offset in the text after each event,
 * so a client that reconnects with {@code Last-Event-ID} (or {@code ?from=}) gets exactly the text it
 * lacks. A live answer is followed until it ends; an ended one is replayed whole and the stream closes.
 *
 * <p>The handler writes the events itself on its own (virtual) request thread, blocking on the
 * {@link LiveAnswer} between events: simpler than an async emitter, and a slow client only ever holds
 * its own thread.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Messages")
class StreamController {

    private final Messages messages;
    private final StreamHub hub;
    private final GenerationSettings settings;
    private final JsonMapper json;

    StreamController(Messages messages, StreamHub hub, GenerationSettings settings, JsonMapper json) {
        this.messages = messages;
        this.hub = hub;
        this.settings = settings;
        this.json = json;
    }

    // No "produces": a refusal (404, 400) must still be answered as a problem to a client asking for JSON.
    @GetMapping("/messages/{messageId}/stream")
    @Operation(summary = "Follow an answer as SSE from an offset: events delta, then done or error")
    void stream(@AuthenticationPrincipal Caller caller, @PathVariable UUID messageId,
                @RequestParam(required = false) Integer from,
                @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                HttpServletResponse response) throws IOException, InterruptedException {
        Message stored = messages.find(caller.userId(), messageId); // 404 before any byte of the stream
        int offset = offset(lastEventId, from);
        Optional<LiveAnswer> live = hub.find(messageId);
        // Read again when it is not live: the answer may have ended between the first read and the look in
        // the hub, and it leaves the hub only after its end is stored, so this read has it.
        Message current = live.isPresent() ? stored : messages.find(caller.userId(), messageId);
        int known = live.map(l -> l.text().length()).orElse(current.content().length());
        if (offset > known) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-offset",
                    "The offset " + offset + " is past the " + known + " characters this answer has.");
        }
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // nginx would otherwise hold events back
        OutputStream out = response.getOutputStream();
        try {
            if (live.isPresent()) {
                follow(live.get(), offset, out);
            } else {
                replay(current, offset, out);
            }
        } catch (IOException gone) {
            // The client went away; the answer goes on without it.
        }
    }

    private void follow(LiveAnswer live, int offset, OutputStream out) throws IOException, InterruptedException {
        int at = offset;
        out.flush(); // the headers now: the client knows it is attached before the first token
        while (true) {
            LiveAnswer.Read read = live.readFrom(at, settings.heartbeat());
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

    private void replay(Message message, int offset, OutputStream out) throws IOException {
        String text = message.content();
        if (offset < text.length()) {
            delta(out, text.substring(offset), text.length());
        }
        if (message.unfinished()) {
            // Left by a process that is gone (recovery marks it at the next start), or a moment before the
            // answer is registered: either way nothing will follow here.
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

    private void event(OutputStream out, String name, int id, Object data) throws IOException {
        // JSON never contains a raw line break, so each event's data is one line.
        String frame = "id: " + id + "\nevent: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String lastEventId, Integer from) {
        String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId.strip()
                : from != null ? from.toString() : "0";
        try {
            int offset = Integer.parseInt(given);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-offset",
                "Last-Event-ID or from must be a character offset: a whole number, 0 or more.");
    }
}
