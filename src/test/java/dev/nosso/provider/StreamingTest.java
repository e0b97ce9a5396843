package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What both wire protocols must do alike, each run against the scripted upstream over real HTTP: stream the
 * answer piece by piece, report usage, end every fault in a {@link ProviderFailure} that names it (with the
 * pieces that came before it already delivered), and stop at once when cancelled.
 */
class StreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    static final ProviderTimeouts FAST = new ProviderTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofMillis(500));

    enum Protocol {
        OPENAI {
            ProviderClient client() {
                return new OpenAiCompatibleClient(FAST);
            }

            URI base(ScriptedUpstream upstream) {
                return upstream.openAiBaseUrl();
            }
        },
        OLLAMA {
            ProviderClient client() {
                return new OllamaClient(FAST);
            }

            URI base(ScriptedUpstream upstream) {
                return upstream.ollamaBaseUrl();
            }
        };

        abstract ProviderClient client();

        abstract URI base(ScriptedUpstream upstream);
    }

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private final List<String> deltas = new CopyOnWriteArrayList<>();
    private final Cancellation cancellation = new Cancellation();

    @AfterEach
    void stop() {
        cancellation.cancel();
        upstream.close();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void streamsTheAnswerPieceByPieceAndReportsUsage(Protocol protocol) {
        upstream.reply("m", Script.tokens("Hello", " world", "!").delay(Duration.ofMillis(5)));

        Completion completion = stream(protocol, "m", "say hello please");

        assertThat(deltas).containsExactly("Hello", " world", "!");
        assertThat(completion).isEqualTo(new Completion(3, 3, "stop"));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void eachPieceReachesTheCallerBeforeTheAnswerEnds(Protocol protocol) throws Exception {
        var gate = new Script.Gate();
        upstream.reply("m", Script.tokens("one", " two", " three").holdAfter(2, gate));

        Future<Completion> running = inBackground(protocol, "m");
        gate.awaitReached(Duration.ofSeconds(5));
        Eventually.within(WAIT).until(() -> deltas.size() == 2);
        assertThat(running).isNotDone();
        gate.release();

        assertThat(running.get(5, TimeUnit.SECONDS).finishReason()).isEqualTo("stop");
        assertThat(String.join("", deltas)).isEqualTo("one two three");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aLongAnswerArrivesWhole(Protocol protocol) {
        upstream.reply("m", Script.repeat("tok ", 10_000));

        Completion completion = stream(protocol, "m", "go on");

        assertThat(String.join("", deltas)).isEqualTo("tok ".repeat(10_000));
        assertThat(completion.completionTokens()).isEqualTo(10_000);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aSlowAnswerIsFineAsLongAsPiecesKeepComing(Protocol protocol) {
        upstream.reply("m", Script.tokens("a", "b", "c", "d", "e", "f", "g").delay(Duration.ofMillis(100)));

        assertThat(stream(protocol, "m", "slowly").finishReason()).isEqualTo("stop");
        assertThat(deltas).hasSize(7); // 700 ms in all, longer than the idle timeout
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anAnswerCutByMaxTokensEndsWithLength(Protocol protocol) {
        upstream.reply("m", Script.tokens("a", "b", "c"));

        Completion completion = protocol.client().stream(endpoint(protocol, null),
                new CompletionRequest("m", List.of(new PromptMessage("user", "x")), null, 2), deltas::add, cancellation);

        assertThat(deltas).containsExactly("a", "b");
        assertThat(completion.finishReason()).isEqualTo("length");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anHttpErrorNamesTheStatusAndTheProvidersMessage(Protocol protocol) {
        upstream.reply("m", Script.httpError(503, "{\"error\":{\"message\":\"model is loading\"}}"));

        assertFailure(protocol, "503", "model is loading");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRefusedKeyNamesTheStatusButNeverTheKey(Protocol protocol) {
        upstream.reply("m", Script.httpError(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-secret-123\",\"type\":\"invalid_request_error\"}}"));

        assertThatThrownBy(() -> protocol.client().stream(endpoint(protocol, "sk-secret-123"), request("m", "hi"),
                deltas::add, cancellation))
                .isInstanceOf(ProviderFailure.class)
                .hasMessageContaining("401").hasMessageContaining("Incorrect API key")
                .hasMessageNotContaining("sk-secret-123");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aLongErrorBodyIsCutToAReadableReason(Protocol protocol) {
        upstream.reply("m", Script.httpError(500, "{\"error\":\"" + "x".repeat(5000) + "\"}"));

        assertThatThrownBy(() -> stream(protocol, "m", "hi")).isInstanceOf(ProviderFailure.class)
                .hasMessageContaining("500")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aMalformedLineFailsTheAnswerAfterTheGoodPieces(Protocol protocol) {
        upstream.reply("m", Script.tokens("a", "b", "c").malformedAfter(1));

        assertFailure(protocol, "malformed");
        assertThat(deltas).containsExactly("a");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anErrorInsideTheStreamFailsTheAnswerWithItsMessage(Protocol protocol) {
        upstream.reply("m", Script.tokens("a", "b").errorAfter(1, "CUDA out of memory"));

        assertFailure(protocol, "reported an error", "CUDA out of memory");
        assertThat(deltas).containsExactly("a");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aConnectionDroppedMidAnswerFailsAfterDeliveringThePiecesSoFar(Protocol protocol) {
        upstream.reply("m", Script.tokens("a", "b", "c").disconnectAfter(2));

        assertFailure(protocol, "dropped");
        assertThat(deltas).containsExactly("a", "b");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aBodyThatEndsWithoutItsFinalEventIsIncomplete(Protocol protocol) {
        upstream.reply("m", Script.tokens("a", "b", "c").truncateAfter(2));

        assertFailure(protocol, "ended before the answer was complete");
        assertThat(deltas).containsExactly("a", "b");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aStreamThatGoesSilentFailsAfterTheIdleTimeout(Protocol protocol) {
        upstream.reply("m", Script.tokens("a", "b").hangAfter(1));

        long started = System.nanoTime();
        assertFailure(protocol, "idle timeout", "500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(deltas).containsExactly("a");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aProviderThatNeverSendsHeadersFailsAfterTheIdleTimeout(Protocol protocol) {
        upstream.reply("m", Script.hangBeforeHeaders());

        assertFailure(protocol, "did not start answering within 500 ms");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aClosedPortIsRefused(Protocol protocol) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var endpoint = new Endpoint(URI.create("http://127.0.0.1:" + port), null);

        assertThatThrownBy(() -> protocol.client().stream(endpoint, request("m", "hi"), deltas::add, cancellation))
                .isInstanceOf(ProviderFailure.class).hasMessageContaining("connection refused")
                .message().doesNotContain(String.valueOf(port)); // users read it: never the provider's address
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void cancellingMidAnswerReturnsAtOnceWithThePiecesSoFar(Protocol protocol) throws Exception {
        upstream.reply("m", Script.tokens("a", "b", "c").hangAfter(2));

        Future<Completion> running = inBackground(protocol, "m");
        Eventually.within(WAIT).until(() -> deltas.size() == 2);
        long cancelled = System.nanoTime();
        cancellation.cancel();

        assertThat(running.get(2, TimeUnit.SECONDS).finishReason()).isEqualTo("cancelled");
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofMillis(400));
        assertThat(deltas).containsExactly("a", "b");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void cancellingBeforeTheHeadersReturnsAtOnce(Protocol protocol) throws Exception {
        upstream.reply("m", Script.hangBeforeHeaders());

        Future<Completion> running = inBackground(protocol, "m");
        Eventually.within(WAIT).until(() -> !upstream.requests().isEmpty());
        cancellation.cancel();

        assertThat(running.get(400, TimeUnit.MILLISECONDS).finishReason()).isEqualTo("cancelled");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anAnswerCancelledBeforeItStartsSendsNothing(Protocol protocol) {
        cancellation.cancel();

        assertThat(stream(protocol, "m", "hi")).isEqualTo(new Completion(null, null, "cancelled"));
        assertThat(upstream.requests()).isEmpty();
    }

    private Completion stream(Protocol protocol, String model, String userText) {
        return protocol.client().stream(endpoint(protocol, null), request(model, userText), deltas::add, cancellation);
    }

    private Future<Completion> inBackground(Protocol protocol, String model) {
        var task = new FutureTask<>(() -> stream(protocol, model, "hi"));
        Thread.ofVirtual().start(task);
        return task;
    }

    private void assertFailure(Protocol protocol, String... reasonParts) {
        var failure = assertThatThrownBy(() -> stream(protocol, "m", "hi")).isInstanceOf(ProviderFailure.class);
        for (String part : reasonParts) {
            failure.hasMessageContaining(part);
        }
    }

    private Endpoint endpoint(Protocol protocol, String key) {
        return new Endpoint(protocol.base(upstream), key);
    }

    static CompletionRequest request(String model, String userText) {
        return new CompletionRequest(model, List.of(new PromptMessage("user", userText)), null, null);
    }
}
