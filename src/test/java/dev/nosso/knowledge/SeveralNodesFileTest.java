package dev.nosso.knowledge;

import static dev.nosso.knowledge.Ingestion.awaitEnd;
import static dev.nosso.knowledge.Ingestion.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.platform.jobs.RunningJob;
import dev.nosso.support.ApiClient;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one PostgreSQL database, each with a data folder of its own: a file is uploaded to the first,
 * which stops before reading it, and the second node's worker takes its ingestion job, as a load balancer and
 * the shared queue would have it.
 */
@ExtendWith(OutputCaptureExtension.class)
class SeveralNodesFileTest {

    private static final Duration INGESTION = Duration.ofSeconds(60);
    private static final Map<String, Object> QUICK_RETRIES = Map.of("nosso.jobs.retry-delay", "100ms");

    private TestDatabase database;
    private TestServer first;
    private TestServer second;
    private Path secondDataDir;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.fresh(Dialect.POSTGRESQL);
    }

    @AfterEach
    void stopNodes() {
        for (TestServer node : new TestServer[] {first, second}) {
            if (node != null) {
                node.close();
            }
        }
        database.close();
        if (secondDataDir != null) {
            try (var files = Files.walk(secondDataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder
            }
        }
    }

    @Test
    void aFileUploadedToOneNodeIsReadAndServedByAnotherWithTheDefaultStore() {
        Uploaded uploaded = uploadToAFirstNodeThatStops(Map.of(), Documents.markdown("Kestrels",
                "The kestrel hovers above the verge."));

        second = TestServer.start(database, secondNode(Map.of()));
        ApiClient alice = second.anonymous().login(uploaded.email(), TestServer.PASSWORD);

        assertThat(awaitEnd(alice, uploaded.id(), INGESTION).path("status").asString()).isEqualTo("ready");
        assertThat(alice.post("/api/v1/search", Map.of("query", "kestrel", "mode", "keyword", "memory", false))
                .expect(200).at("/results").findValuesAsString("sourceId")).containsExactly(uploaded.id());
        HttpResponse<byte[]> content = alice.download("/api/v1/files/" + uploaded.id() + "/content");
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(uploaded.bytes());
    }

    @Test
    void withFoldersOfTheirOwnTheOtherNodeTriesTheJobAgainThenFailsTheFileWithTheReasonAndAnswersAProblem(
            CapturedOutput output) {
        Map<String, Object> local = Map.of("nosso.files.store", "local");
        Uploaded uploaded = uploadToAFirstNodeThatStops(local, Documents.markdown("Wrens", "The wren sings."));

        second = TestServer.start(database, secondNode(local));
        ApiClient alice = second.anonymous().login(uploaded.email(), TestServer.PASSWORD);

        JsonNode file = awaitEnd(alice, uploaded.id(), INGESTION);
        assertThat(file.path("status").asString()).isEqualTo("failed");
        assertThat(file.path("error").asString()).startsWith("The file's bytes are missing from the file store (local)");
        assertThat(output.getAll()).contains("(ingest-file) attempt 2 failed, retried")
                .contains("(ingest-file) failed after 3 attempts");
        alice.get("/api/v1/files/" + uploaded.id() + "/content").expectProblem(404, "file-bytes-missing");
    }

    @Test
    void aStoreOutOfReachTriesTheJobAgainThenFailsItAndTheContentAnswers503() throws IOException {
        Uploaded uploaded = uploadToAFirstNodeThatStops(Map.of(), Documents.markdown("Rooks", "The rook caws."));

        Map<String, Object> unreachable = Map.of("nosso.files.store", "s3",
                "nosso.files.s3.endpoint", "http://127.0.0.1:" + closedPort(), "nosso.files.s3.bucket", "nosso",
                "nosso.files.s3.access-key", "key", "nosso.files.s3.secret-key", "secret",
                "nosso.files.s3.path-style", "true");
        second = TestServer.start(database, secondNode(unreachable));
        ApiClient alice = second.anonymous().login(uploaded.email(), TestServer.PASSWORD);

        JsonNode file = awaitEnd(alice, uploaded.id(), INGESTION);
        assertThat(file.path("status").asString()).isEqualTo("failed");
        assertThat(file.path("error").asString()).startsWith("The S3 file store (bucket nosso) failed");
        alice.get("/api/v1/files/" + uploaded.id() + "/content").expectProblem(503, "file-store-unavailable");
        upload(alice, "new.md", "text/markdown", Documents.markdown("New", "Not stored.")).expectProblem(503,
                "file-store-unavailable");
    }

    private record Uploaded(String email, String id, byte[] bytes) {
    }

    /**
     * Uploads a file to a first node whose worker holds the file's job without reading it, then stops that
     * node: the job goes back to the queue, for the next node to take.
     */
    private Uploaded uploadToAFirstNodeThatStops(Map<String, Object> settings, byte[] bytes) {
        first = TestServer.start(database, settings);
        CountDownLatch held = new CountDownLatch(1);
        first.context().getBean(Jobs.class).register(new JobHandler() {
            @Override
            public String kind() {
                return Uploads.INGEST;
            }

            @Override
            public void run(RunningJob job) throws InterruptedException {
                held.countDown();
                new CountDownLatch(1).await(); // until the node stops
            }
        });
        ApiClient alice = first.newUser();
        String email = alice.get("/api/v1/auth/me").expect(200).text("/email");
        String id = upload(alice, "notes.md", "text/markdown", bytes).expect(201).text("/id");
        try {
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        first.close();
        return new Uploaded(email, id, bytes);
    }

    /** The second node's settings: a data folder of its own, and quick retries. */
    private Map<String, Object> secondNode(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(QUICK_RETRIES);
        all.putAll(settings);
        try {
            secondDataDir = Files.createTempDirectory("nosso-second-node-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        all.put("nosso.data-dir", secondDataDir.toString());
        return all;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // free once closed: nothing listens there
        }
    }
}
