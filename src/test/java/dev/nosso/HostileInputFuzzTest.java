package dev.nosso;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nosso.knowledge.KnowledgeFuzzTargets;
import dev.nosso.provider.ProviderFuzzTargets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of what reaches Nosso from outside: providers' SSE and NDJSON streams and
 * their error reasons, the text extracted from uploads and the names files are uploaded under. A crash is any
 * exception other than the documented ones (a {@code ProviderFailure}, the writer's own stop, the refusal of a
 * NUL in a name), a broken promise (a reason too long or with the key, a header with a line break), or an input
 * that runs longer than the timeout.
 *
 * <p>One fuzz test drives every target, the first bytes choosing which: Jazzer fuzzes one test per JVM. In a
 * full {@code ./mvnw verify} it runs in a JVM of its own with {@code JAZZER_FUZZ=1} for a bounded time (the
 * {@code fuzz} profile in pom.xml); with {@code -Dtest=HostileInputFuzzTest} it replays its seeds and earlier
 * findings only, from {@code src/test/resources/dev/nosso/HostileInputFuzzTestInputs/}.
 */
class HostileInputFuzzTest {

    private static final List<Consumer<FuzzedDataProvider>> TARGETS = List.of(
            ProviderFuzzTargets::openAiStream,
            ProviderFuzzTargets::ollamaStream,
            ProviderFuzzTargets::failureReason,
            KnowledgeFuzzTargets::markdown,
            KnowledgeFuzzTargets::fileName);

    @Timeout(10) // per input while fuzzing: one that takes longer is reported as a hang
    @FuzzTest(maxDuration = "40s") // Jazzer wants its annotation last
    void noInputCrashesOrHangsAParser(FuzzedDataProvider data) {
        TARGETS.get(data.consumeInt(0, TARGETS.size() - 1)).accept(data);
    }
}
