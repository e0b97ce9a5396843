package dev.nosso.openai;

import dev.nosso.generation.Turn;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a completion as OpenAI streams it: {@code data: <chat.completion.chunk>} events, each flushed as
 * soon as its text arrives, then {@code data: [DONE]}.
 *
 * <p>The response begins with the first piece of text, not before, so that a provider failing before it
 * says anything still gets a plain error with its own status (502) instead of a stream. A fault after that
 * can only be told inside the stream: an {@code {"error": ...}} event, which OpenAI's clients raise as an
 * error, and no {@code [DONE]}. A client that has gone away is noticed at the next write, and stops the
 * answer.
 */
final class ChunkStream {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServletResponse response;
    private final JsonMapper json;
    private final ChatCompletions.Call call;
    private OutputStream out;
    private boolean gone;

    ChunkStream(HttpServletResponse response, JsonMapper json, ChatCompletions.Call call) {
        this.response = response;
        this.json = json;
        this.call = call;
    }

    /** Whether the response has begun, so that an error can no longer change its status. */
    boolean started() {
        return out != null;
    }

    void delta(String text) {
        write(() -> send(ChatCompletionChunk.content(call, text)));
    }

    void finish(Turn.End end, boolean includeUsage) {
        write(() -> {
            send(ChatCompletionChunk.finish(call, end.finishReason()));
            if (includeUsage) {
                send(ChatCompletionChunk.usage(call, ChatCompletions.usage(end.message())));
            }
            out.write(DONE);
        });
    }

    void fail(OpenAiError error) {
        write(() -> send(error.body()));
    }

    private void write(Step step) {
        if (gone) {
            return;
        }
        try {
            open();
            step.run();
            out.flush();
        } catch (IOException e) {
            gone = true;
            call.turn().cancel();
        }
    }

    private void open() throws IOException {
        if (out != null) {
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // nginx would otherwise hold the chunks back
        out = response.getOutputStream();
        send(ChatCompletionChunk.role(call));
    }

    private void send(Object data) throws IOException {
        // JSON never holds a raw line break, so each event is one data line.
        out.write(("data: " + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }
}
