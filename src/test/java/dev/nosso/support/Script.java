package dev.nosso.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * What {@link ScriptedUpstream} answers to one chat request, in either protocol: the tokens, their pace, and
 * at most one fault. Immutable; every method returns a new script, so one script can serve many tests.
 *
 * <pre>{@code
 * Script.tokens("Hello", " world").delay(Duration.ofMillis(20))
 * Script.repeat("tok ", 10_000).usage(12, 10_000)
 * Script.tokens("a", "b", "c").disconnectAfter(2)
 * Script.httpError(503, "{\"error\":{\"message\":\"model is loading\"}}")
 * }</pre>
 */
public final class Script {

    enum Fault { NONE, MALFORMED, ERROR_EVENT, DISCONNECT, TRUNCATE, HANG }

    private List<String> tokens; // null: echo the last user message
    private Duration delay = Duration.ZERO;
    private Duration headersAfter = Duration.ZERO;
    private boolean hangBeforeHeaders;
    private int status;
    private String errorBody;
    private Fault fault = Fault.NONE;
    private int faultAfter;
    private String faultMessage;
    private Gate gate;
    private int gateAfter;
    private String finishReason = "stop";
    private boolean withoutDone;
    private Integer promptTokens;
    private Integer completionTokens;

    private Script() {
    }

    /** Answers with these pieces of text, one chunk (or NDJSON line) each. */
    public static Script tokens(String... tokens) {
        Script s = new Script();
        s.tokens = List.of(tokens);
        return s;
    }

    /** Answers {@code token} {@code times} times: a long answer that costs no memory to describe. */
    public static Script repeat(String token, int times) {
        Script s = new Script();
        s.tokens = Collections.nCopies(times, token);
        return s;
    }

    /**
     * Answers with the last user message, word by word (each word after the first keeps its leading space),
     * so the answer's text equals what the user sent. The default when no script matches.
     */
    public static Script echo() {
        return new Script();
    }

    /** Answers this status and body (as {@code application/json}) instead of a completion. */
    public static Script httpError(int status, String body) {
        Script s = new Script();
        s.status = status;
        s.errorBody = body;
        return s;
    }

    /** Reads the request, then sends nothing at all, not even headers, until the upstream closes. */
    public static Script hangBeforeHeaders() {
        Script s = new Script();
        s.hangBeforeHeaders = true;
        return s;
    }

    /** Waits this long before each token. */
    public Script delay(Duration delay) {
        Script s = copy();
        s.delay = delay;
        return s;
    }

    /** Waits this long before sending the response headers, as a model that is still loading does. */
    public Script headersAfter(Duration delay) {
        Script s = copy();
        s.headersAfter = delay;
        return s;
    }

    /** The finish reason of the last chunk (default {@code stop}). */
    public Script finishReason(String finishReason) {
        Script s = copy();
        s.finishReason = finishReason;
        return s;
    }

    /**
     * Ends an OpenAI stream after its finish and usage chunks without {@code data: [DONE]}, as some servers do.
     * Changes nothing for Ollama, whose last line is the finish.
     */
    public Script withoutDone() {
        Script s = copy();
        s.withoutDone = true;
        return s;
    }

    /** Reports these counts instead of the defaults (words in the prompt, tokens sent). */
    public Script usage(int promptTokens, int completionTokens) {
        Script s = copy();
        s.promptTokens = promptTokens;
        s.completionTokens = completionTokens;
        return s;
    }

    /** After {@code tokens} tokens, sends a line that is not valid JSON, then carries on as if nothing happened. */
    public Script malformedAfter(int tokens) {
        return fault(Fault.MALFORMED, tokens, null);
    }

    /**
     * After {@code tokens} tokens, reports an error inside the stream and ends it: an OpenAI error object
     * ({@code data: {"error":{"message":...}}}) or an Ollama {@code {"error": ...}} line.
     */
    public Script errorAfter(int tokens, String message) {
        return fault(Fault.ERROR_EVENT, tokens, message);
    }

    /** After {@code tokens} tokens, closes the socket: no final chunk, no {@code [DONE]}, no end of the HTTP body. */
    public Script disconnectAfter(int tokens) {
        return fault(Fault.DISCONNECT, tokens, null);
    }

    /** After {@code tokens} tokens, ends the HTTP body cleanly but without the final chunk or {@code [DONE]}. */
    public Script truncateAfter(int tokens) {
        return fault(Fault.TRUNCATE, tokens, null);
    }

    /** After {@code tokens} tokens (headers already sent), sends nothing more until the upstream closes. */
    public Script hangAfter(int tokens) {
        return fault(Fault.HANG, tokens, null);
    }

    /** After {@code tokens} tokens, waits for {@code gate} to be released, then finishes normally. */
    public Script holdAfter(int tokens, Gate gate) {
        Script s = copy();
        s.gate = gate;
        s.gateAfter = tokens;
        return s;
    }

    /** {@link #holdAfter(int, Gate)} with a plain latch: the stream goes on once {@code release} reaches zero. */
    public Script holdAfter(int tokens, CountDownLatch release) {
        return holdAfter(tokens, new Gate(release));
    }

    private Script fault(Fault fault, int after, String message) {
        Script s = copy();
        s.fault = fault;
        s.faultAfter = after;
        s.faultMessage = message;
        return s;
    }

    private Script copy() {
        Script s = new Script();
        s.tokens = tokens;
        s.delay = delay;
        s.headersAfter = headersAfter;
        s.hangBeforeHeaders = hangBeforeHeaders;
        s.status = status;
        s.errorBody = errorBody;
        s.fault = fault;
        s.faultAfter = faultAfter;
        s.faultMessage = faultMessage;
        s.gate = gate;
        s.gateAfter = gateAfter;
        s.finishReason = finishReason;
        s.withoutDone = withoutDone;
        s.promptTokens = promptTokens;
        s.completionTokens = completionTokens;
        return s;
    }

    List<String> tokensFor(JsonNode request) {
        if (tokens != null) {
            return tokens;
        }
        String last = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asString(""))) {
                last = message.path("content").asString("");
            }
        }
        return last.isEmpty() ? List.of() : Arrays.asList(last.split("(?=\\s)"));
    }

    /** Words in every message, a stand-in for the prompt's token count that a test can compute too. */
    int promptTokensFor(JsonNode request) {
        if (promptTokens != null) {
            return promptTokens;
        }
        int words = 0;
        for (JsonNode message : request.path("messages")) {
            String content = message.path("content").asString("").strip();
            words += content.isEmpty() ? 0 : content.split("\\s+").length;
        }
        return words;
    }

    int completionTokensFor(int sent) {
        return completionTokens != null ? completionTokens : sent;
    }

    Duration delay() {
        return delay;
    }

    Duration headersAfter() {
        return headersAfter;
    }

    boolean hangsBeforeHeaders() {
        return hangBeforeHeaders;
    }

    int status() {
        return status;
    }

    String errorBody() {
        return errorBody;
    }

    Fault fault() {
        return fault;
    }

    int faultAfter() {
        return faultAfter;
    }

    String faultMessage() {
        return faultMessage;
    }

    Gate gate() {
        return gate;
    }

    int gateAfter() {
        return gateAfter;
    }

    String finishReason() {
        return finishReason;
    }

    boolean sendsDone() {
        return !withoutDone;
    }

    /**
     * Holds a stream in the middle: the upstream marks the gate reached when the stream gets there, then waits
     * until the test releases it (or the upstream closes).
     */
    public static final class Gate {

        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released;

        public Gate() {
            this(new CountDownLatch(1));
        }

        private Gate(CountDownLatch released) {
            this.released = released;
        }

        /** Waits until a stream has sent the tokens before the gate; fails the test after {@code timeout}. */
        public void awaitReached(Duration timeout) {
            try {
                if (!reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("No stream reached the gate within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for the gate", e);
            }
        }

        public boolean isReached() {
            return reached.getCount() == 0;
        }

        public void release() {
            released.countDown();
        }

        /** Returns true once released, false if the upstream closed first. */
        boolean pass(CountDownLatch closing) throws InterruptedException {
            reached.countDown();
            while (!released.await(20, TimeUnit.MILLISECONDS)) {
                if (closing.getCount() == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
