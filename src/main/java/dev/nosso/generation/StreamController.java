package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.chat.Messages;
import dev.nosso.identity.Caller;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
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

/**
 * An answer as Server-Sent Events, from any offset: {@code id:} is the offset in the text after each event,
 * so a client that reconnects with {@code Last-Event-ID} (or {@code ?from=}) gets exactly the text it
 * lacks. A live answer is followed until it ends, whichever node generates it ({@link RemoteAnswers}); an
 * ended one is replayed whole and the stream closes.
 * The events are written by {@link AnswerEvents}.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Messages")
class StreamController {

    private final Messages messages;
    private final StreamHub hub;
    private final AnswerEvents events;
    private final RemoteAnswers remote;

    StreamController(Messages messages, StreamHub hub, AnswerEvents events, RemoteAnswers remote) {
        this.messages = messages;
        this.hub = hub;
        this.events = events;
        this.remote = remote;
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
        // Read again when it is not live here: the answer may have ended between the first read and the look
        // in the hub, and it leaves the hub only after its end is stored, so this read has it.
        Message current = live.isPresent() ? stored : messages.find(caller.userId(), messageId);
        int known = live.map(l -> l.text().length()).orElse(current.content().length());
        boolean elsewhere = live.isEmpty() && remote.mayBeElsewhere(current);
        // Another node's answer may be ahead of its checkpoint: an offset past it is checked as it arrives.
        if (offset > known && !elsewhere) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-offset",
                    "The offset " + offset + " is past the " + known + " characters this answer has.");
        }
        OutputStream out = events.open(response);
        try (AnswerFeed feed = live.<AnswerFeed>map(l -> l)
                .orElseGet(() -> elsewhere ? remote.follow(caller.userId(), current) : null)) {
            if (feed != null) {
                events.follow(feed, offset, out);
            } else {
                events.replay(current, offset, out);
            }
        } catch (IOException gone) {
            // The client went away; the answer goes on without it.
        }
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
