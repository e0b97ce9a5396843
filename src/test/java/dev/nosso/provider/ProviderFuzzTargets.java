package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.function.Predicate;

/**
 * What a provider sends, read as the clients read it, for {@code HostileInputFuzzTest}: a stream may fail
 * only as a {@link ProviderFailure}, and a failure's reason is always short, one line and without the key.
 */
public final class ProviderFuzzTargets {

    private static final String KEY = "sk-fuzz-connection-key";
    private static final Endpoint ENDPOINT = new Endpoint(URI.create("http://127.0.0.1:9/v1"), KEY);

    private ProviderFuzzTargets() {
    }

    /** An OpenAI-compatible SSE body, line by line through the event parser into the chunk reader. */
    public static void openAiStream(FuzzedDataProvider data) {
        OpenAiChunks chunks = new OpenAiChunks(ENDPOINT, delta -> { });
        SseLineParser events = new SseLineParser(chunks::accept);
        readLines(data.consumeRemainingAsString(), line -> {
            events.line(line);
            return chunks.done();
        });
    }

    /** An Ollama NDJSON body, line by line. */
    public static void ollamaStream(FuzzedDataProvider data) {
        OllamaLines lines = new OllamaLines(ENDPOINT, delta -> { });
        readLines(data.consumeRemainingAsString(), lines::accept);
    }

    /**
     * An error a provider reports, as a user may read it. Any reason is bounded; the connection's key is taken
     * out where the provider's text is quoted (ProviderHttp.clean), which knows it.
     */
    public static void failureReason(FuzzedDataProvider data) {
        String reported = data.consumeRemainingAsString();
        assertReadable(ProviderHttp.reported(ENDPOINT, reported).getMessage());
        String reason = new ProviderFailure(reported).getMessage();
        assertThat(reason).isNotBlank().hasSizeLessThanOrEqualTo(FailureReasons.MAX_CHARS);
        assertThat(reason.chars().noneMatch(Character::isISOControl)).as(reason).isTrue();
    }

    private static void readLines(String body, Predicate<String> handler) {
        try (BufferedReader reader = new BufferedReader(new StringReader(body))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                try {
                    if (handler.test(line)) {
                        return;
                    }
                } catch (ProviderFailure expected) {
                    assertReadable(expected.getMessage());
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertReadable(String reason) {
        assertThat(reason).isNotBlank().hasSizeLessThanOrEqualTo(FailureReasons.MAX_CHARS).doesNotContain(KEY);
        assertThat(reason.chars().noneMatch(Character::isISOControl)).as(reason).isTrue();
        assertThat(dev.nosso.platform.MalformedText.loneSurrogate(reason)).as(reason).isEqualTo(-1);
    }
}
