package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process model as the server runs it: passages spread over its threads, queries on the caller's. */
class OnnxEmbedderTest {

    @TempDir
    Path dataDir;

    @Test
    void jobsEmbeddingAtOnceEachGetTheirOwnTextsVectorsInOrder() throws Exception {
        OnnxEmbedder embedder = OnnxEmbedder.named("bge-small-en-v15-q", dataDir);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            first.add("Chapter " + i + ": the lighthouse keeper counted " + i + " ships passing in the fog.");
            second.add("Recipe " + i + ": knead the dough for " + i + " minutes, then let it rise overnight.");
        }
        List<float[]> alone = embedder.embed(first);
        List<float[]> aloneSecond = embedder.embed(second);

        // Two jobs share the embedding threads text by text; neither may receive the other's vectors.
        try (ExecutorService jobs = Executors.newFixedThreadPool(2)) {
            CompletableFuture<List<float[]>> a = CompletableFuture.supplyAsync(() -> embedder.embed(first), jobs);
            CompletableFuture<List<float[]>> b = CompletableFuture.supplyAsync(() -> embedder.embed(second), jobs);
            assertSame(a.get(), alone);
            assertSame(b.get(), aloneSecond);
        }
        assertThat(alone).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        });
    }

    @Test
    void aQueryIsNearerToThePassageThatAnswersIt() {
        OnnxEmbedder embedder = OnnxEmbedder.named("bge-small-en-v15-q", dataDir);
        List<float[]> passages = embedder.embed(List.of(
                "The lighthouse on the northern cape was automated in 1987 and has no keeper since.",
                "Sourdough bread needs a starter of flour and water, fed daily for a week."));
        float[] query = embedder.embedQuery("when did the lighthouse lose its keeper");
        assertThat(dot(query, passages.get(0))).isGreaterThan(dot(query, passages.get(1)) + 0.1);
    }

    @Test
    void aModelLeftOutOfTheBuildStopsStartUpAndSaysHowToGetIt() {
        // The default build ships only bge-small-en-v15-q; -Pall-models adds all-minilm-l6-v2.
        assumeTrue(getClass().getClassLoader().getResource("all-minilm-l6-v2.onnx") == null,
                "built with the all-models profile: all-minilm-l6-v2 is there");
        assertThatThrownBy(() -> OnnxEmbedder.named("all-minilm-l6-v2", dataDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all-minilm-l6-v2").hasMessageContaining("-Pall-models");
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void assertSame(List<float[]> actual, List<float[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(dot(actual.get(i), expected.get(i))).as("text %d", i).isGreaterThan(0.9999);
        }
    }
}
