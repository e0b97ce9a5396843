package dev.nosso;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nosso.knowledge.KnowledgeFuzzTargets;
import dev.nosso.provider.ProviderFuzzTargets;
import dev.nosso.transfer.TransferFuzzTargets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of what reaches Nosso from outside: providers' SSE and NDJSON streams and
 * their error reasons, the text extracted from uploads, the names files are uploaded under, and the export
 * files of ChatGPT, Open WebUI and Nosso that imports read. A crash is any
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
            KnowledgeFuzzTargets::fileName,
            TransferFuzzTargets::exportFile);

    // Jazzer passes the timeout to libFuzzer for each input, and JUnit holds the whole fuzzing run to it as
    // well: 60 s covers the 40 s of fuzzing, and an input that hangs fails the build within it.
    @Timeout(60)
    @FuzzTest(maxDuration = "40s") // Jazzer wants its annotation last
    void noInputCrashesOrHangsAParser(FuzzedDataProvider data) {
        TARGETS.get(data.consumeInt(0, TARGETS.size() - 1)).accept(data);
    }
}
