package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.NewMessage;
import dev.nosso.identity.Caller;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sending a message. A user message with a model (named, or the chat's last one) starts a turn and answers
 * 202 with both messages and where to follow the answer; any other message (an assistant or system message,
 * a history being imported, {@code "generate": false}) is stored as it is and answers 201.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Messages")
class TurnController {

    private final Turns turns;
    private final AnswerEvents events;

    TurnController(Turns turns, AnswerEvents events) {
        this.turns = turns;
        this.events = events;
    }

    /**
     * {@code parentId} left out: append to the active branch. {@code "parentId": null}: a new root (a
     * sibling of the first message). An id whose message has children: a sibling branch, which is how an
     * edited question is sent. A class, not a record, because only a setter can tell an explicit null from
     * a missing field.
     */
    static final class SendRequest {
        private MessageRole role = MessageRole.USER;
        private String content;
        private String model;
        private UUID parentId;
        private boolean parentGiven;
        private Boolean generate;
        private List<UUID> collectionIds;
        private List<UUID> fileIds;
        private Boolean memory;
        private List<UUID> attachments;

        /** Files to send with the message (uploaded first): images the model sees, documents it searches. */
        public void setAttachments(List<UUID> attachments) {
            this.attachments = attachments;
        }

        public void setCollectionIds(List<UUID> collectionIds) {
            this.collectionIds = collectionIds;
        }

        public void setFileIds(List<UUID> fileIds) {
            this.fileIds = fileIds;
        }

        public void setMemory(Boolean memory) {
            this.memory = memory;
        }

        public void setRole(MessageRole role) {
            this.role = role;
        }

        public void setContent(String content) {
            this.content = content;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public void setParentId(UUID parentId) {
            this.parentId = parentId;
            this.parentGiven = true;
        }

        public void setGenerate(Boolean generate) {
            this.generate = generate;
        }

        NewMessage toNewMessage() {
            return new NewMessage(role, content, parentId, parentGiven && parentId == null, null, null);
        }

        SourceChoice sources() {
            return new SourceChoice(collectionIds, fileIds, memory);
        }
    }

    record TurnStarted(Message userMessage, Message assistantMessage, String streamUrl) {
        static TurnStarted of(Turn turn) {
            return new TurnStarted(turn.question(), turn.answer(), turn.streamUrl());
        }
    }

    record AnswerStarted(Message assistantMessage, String streamUrl) {
    }

    /** The model (default: the answer's), and what to ground the new answer on, as when sending. */
    record Regenerate(String model, List<UUID> collectionIds, List<UUID> fileIds, Boolean memory) {
    }

    @PostMapping("/chats/{chatId}/messages")
    @Operation(summary = "Send a message: a user message with a model starts an answer (202, or its SSE stream "
            + "when the request accepts text/event-stream); others are stored (201)")
    ResponseEntity<?> send(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId,
                           @RequestBody SendRequest body,
                           @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
                           HttpServletResponse response) throws IOException, InterruptedException {
        if (body.role == null) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "role must be user, assistant or system.");
        }
        Turns.Sent sent = turns.send(caller.userId(), chatId, body.toNewMessage(), body.attachments, body.model,
                body.sources(), body.generate);
        if (sent.turn() == null) {
            return ResponseEntity.status(HttpStatus.CREATED).body(sent.message());
        }
        TurnStarted started = TurnStarted.of(sent.turn());
        if (accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)) {
            streamHere(started, sent.turn(), response);
            return null; // the response is written
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(started);
    }

    /**
     * The answer's stream as the answer to the POST itself, one request instead of two: a {@code turn} event
     * with what the 202 would carry (id 0), then the events of {@code streamUrl}. A client that loses the
     * connection goes on from {@code streamUrl} with {@code Last-Event-ID}.
     */
    private void streamHere(TurnStarted started, Turn turn, HttpServletResponse response)
            throws IOException, InterruptedException {
        OutputStream out = events.open(response);
        try {
            events.event(out, "turn", 0, started);
            events.follow(turn.live(), 0, out);
        } catch (IOException gone) {
            // The client went away; the answer goes on without it.
        }
    }

    @PostMapping("/messages/{messageId}/regenerate")
    @Operation(summary = "Answer the same question again, beside this answer; the new answer is shown")
    ResponseEntity<AnswerStarted> regenerate(@AuthenticationPrincipal Caller caller, @PathVariable UUID messageId,
                                             @RequestBody(required = false) Regenerate body) {
        Regenerate again = body == null ? new Regenerate(null, null, null, null) : body;
        Turn turn = turns.regenerate(caller.userId(), messageId, again.model(),
                new SourceChoice(again.collectionIds(), again.fileIds(), again.memory()));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new AnswerStarted(turn.answer(), turn.streamUrl()));
    }

    @PostMapping("/messages/{messageId}/cancel")
    @Operation(summary = "Stop an answer being generated; its text so far is kept")
    Message cancel(@AuthenticationPrincipal Caller caller, @PathVariable UUID messageId) throws InterruptedException {
        return turns.cancel(caller.userId(), messageId);
    }
}
