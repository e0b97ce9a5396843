package dev.nosso.knowledge;

import static dev.nosso.knowledge.Ingestion.awaitEnd;
import static dev.nosso.knowledge.Ingestion.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.S3Mock;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The file API on each file store, against its real back-end: the folder (on SQLite), PostgreSQL's table, and
 * an S3 bucket on S3Mock (both on PostgreSQL, as several nodes would run). What the store holds is checked
 * behind the server's back ({@link StoredBytes}).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"local", "database", "s3"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class FileStoreApiTest {

    private static final Duration INGESTION = Duration.ofSeconds(60);

    @Parameter
    String store;

    private TestDatabase database;
    private TestServer server;
    private StoredBytes stored;

    @BeforeParameterizedClassInvocation
    void startServer() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("nosso.files.store", store);
        // A failing job is tried again after 100 ms rather than seconds; only the first 5,000 characters of a
        // file are indexed, so that a file of megabytes is read in a moment.
        settings.put("nosso.jobs.retry-delay", "100ms");
        settings.put("nosso.knowledge.max-extracted-chars", "5000");
        switch (store) {
            case "local" -> {
                database = TestDatabase.fresh(Dialect.SQLITE);
                stored = StoredBytes.inFolder(database.dataDir().resolve("files"));
            }
            case "database" -> {
                database = TestDatabase.fresh(Dialect.POSTGRESQL);
                stored = StoredBytes.inTable(database);
            }
            default -> {
                database = TestDatabase.fresh(Dialect.POSTGRESQL);
                S3Mock s3 = S3Mock.shared();
                String bucket = s3.newBucket();
                settings.putAll(s3.settings(bucket));
                stored = StoredBytes.inBucket(s3.client(), bucket);
            }
        }
        server = TestServer.start(database, settings);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anUploadIsIngestedFoundAndDownloadedAsUploadedAndItsBytesGoWithTheLastFileThatHasThem() {
        ApiClient alice = server.newUser();
        byte[] bytes = Documents.markdown("Pelicans", "The pelican " + store + " glides over the harbour.");
        String id = upload(alice, "pelican.md", "text/markdown", bytes).expect(201).text("/id");

        assertThat(awaitEnd(alice, id, INGESTION).path("status").asString()).isEqualTo("ready");
        JsonNode results = alice.post("/api/v1/search", Map.of("query", "pelican", "mode", "keyword", "memory", false))
                .expect(200).at("/results");
        assertThat(results.findValuesAsString("sourceId")).containsExactly(id);
        assertThat(download(alice, id)).isEqualTo(bytes);
        String key = keyOf(alice, id);
        assertThat(stored.has(key)).isTrue();

        ApiClient bob = server.newUser();
        String bobs = upload(bob, "same.md", "text/markdown", bytes).expect(201).text("/id");
        alice.delete("/api/v1/files/" + id).expect(204);
        assertThat(stored.has(key)).as("Bob's file still has these bytes").isTrue();
        assertThat(download(bob, bobs)).isEqualTo(bytes);
        bob.delete("/api/v1/files/" + bobs).expect(204);
        assertThat(stored.has(key)).as("no file has these bytes any more").isFalse();
    }

    @Test
    void aFileOfSeveralMegabytesIsStoredAndDownloadedWhole() {
        ApiClient alice = server.newUser();
        StringBuilder text = new StringBuilder("The albatross sleeps on the wind.\n");
        for (int line = 0; text.length() < 2_600_000; line++) {
            text.append("Line ").append(line).append(" of a long log, with nothing else to say.\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        String id = upload(alice, "long.txt", "text/plain", bytes).expect(201).text("/id");

        assertThat(awaitEnd(alice, id, INGESTION).path("status").asString()).isEqualTo("ready");
        HttpResponse<byte[]> content = alice.download("/api/v1/files/" + id + "/content");
        assertThat(content.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(content.body()).isEqualTo(bytes);
        assertThat(alice.post("/api/v1/search", Map.of("query", "albatross", "mode", "keyword", "memory", false))
                .expect(200).at("/results").findValuesAsString("sourceId")).containsExactly(id);
    }

    @Test
    void bytesMissingFromTheStoreAnswerAProblemAndTheirJobIsTriedAgainThenFailsWithTheReasonLogged(
            CapturedOutput output) {
        ApiClient alice = server.newUser();
        String id = upload(alice, "heron.md", "text/markdown", Documents.markdown("Herons", "The heron " + store
                + " waits.")).expect(201).text("/id");
        awaitEnd(alice, id, INGESTION);

        stored.remove(keyOf(alice, id));

        alice.get("/api/v1/files/" + id + "/content").expectProblem(404, "file-bytes-missing");
        // Read again, as a re-ingestion would: the queue tries three times, then the file fails with the reason.
        UUID owner = UUID.fromString(alice.get("/api/v1/auth/me").expect(200).text("/id"));
        UUID jobId = server.context().getBean(Jobs.class).enqueue(owner, Uploads.INGEST, "{\"fileId\":\"" + id + "\"}");
        JsonNode job = Eventually.within(INGESTION).until(() -> alice.get("/api/v1/jobs/" + jobId).expect(200).json(),
                j -> j.path("state").asString().equals("failed"));
        assertThat(job.path("error").asString()).contains("missing from the file store (" + store + ")");
        JsonNode file = alice.get("/api/v1/files/" + id).expect(200).json();
        assertThat(file.path("status").asString()).isEqualTo("failed");
        assertThat(file.path("error").asString()).isEqualTo(job.path("error").asString());
        assertThat(output.getAll()).contains("Job " + jobId + " (ingest-file) attempt 1 failed, retried")
                .contains("Job " + jobId + " (ingest-file) attempt 2 failed, retried")
                .contains("Job " + jobId + " (ingest-file) failed after 3 attempts");
    }

    private static byte[] download(ApiClient client, String id) {
        HttpResponse<byte[]> content = client.download("/api/v1/files/" + id + "/content");
        assertThat(content.statusCode()).isEqualTo(200);
        return content.body();
    }

    static String keyOf(ApiClient owner, String id) {
        String sha = owner.get("/api/v1/files/" + id).expect(200).text("/sha256");
        return sha.substring(0, 2) + "/" + sha;
    }
}
