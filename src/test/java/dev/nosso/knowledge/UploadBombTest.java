package dev.nosso.knowledge;

import static dev.nosso.knowledge.Ingestion.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Bombs;
import dev.nosso.support.ServerProcess;
import dev.nosso.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Decompression bombs uploaded to a server with a small heap, all at once, while two other threads keep both
 * cores busy (the bombs once took a server down only on a busy machine): each file fails with a clear reason,
 * and the server goes on answering and reading ordinary files.
 */
class UploadBombTest {

    private static final Duration INGESTION = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    private static TestDatabase database;
    private static ServerProcess server;

    @BeforeAll
    static void start() {
        database = TestDatabase.fresh(Dialect.SQLITE);
        server = ServerProcess.start(database, Map.of("nosso.knowledge.parse-memory", "128MB",
                "nosso.knowledge.parse-timeout", "60s"), "256m");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void bombsFailWithAClearReasonAndTheServerKeepsAnswering() throws Exception {
        Path docx = Bombs.docx(dir, 300);
        Path pdf = Bombs.pdf(dir, 300);
        Path xlsx = Bombs.xlsx(dir, 300);
        Path manifest = Bombs.manifestDocx(dir, 300);
        Path nested = Bombs.nestedZip(dir, 10, 100);
        ApiClient alice = server.admin();

        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            burners.add(Thread.ofPlatform().start(() -> {
                long x = 0;
                while (busy.get()) {
                    x += Long.numberOfTrailingZeros(System.nanoTime() | 1);
                }
                if (x == 42) {
                    System.out.print(""); // keeps the loop from being optimised away
                }
            }));
        }
        try (ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ApiClient.Response>> sent = new ArrayList<>();
            for (Path bomb : List.of(docx, pdf, xlsx, manifest, nested)) {
                sent.add(uploads.submit((Callable<ApiClient.Response>) () -> alice.upload("/api/v1/files",
                        bomb.getFileName().toString(), "application/octet-stream", Files.readAllBytes(bomb), Map.of())));
            }
            ApiClient.Response docxSent = sent.get(0).get().expect(201);
            ApiClient.Response pdfSent = sent.get(1).get().expect(201);
            // Not formats Nosso reads: refused at the door, once their type is known.
            sent.get(2).get().expectProblem(415, "unsupported-file-type");
            sent.get(4).get().expectProblem(415, "unsupported-file-type");
            // Its type cannot even be told within the memory a file may use.
            ApiClient.Response manifestSent = sent.get(3).get().expectProblem(422, "unreadable-file");
            assertThat(manifestSent.json().path("detail").asString()).contains("128 MB");

            for (ApiClient.Response bomb : List.of(docxSent, pdfSent)) {
                JsonNode file = awaitEnd(alice, bomb.text("/id"), INGESTION);
                assertThat(file.path("status").asString()).as(file.toString()).isEqualTo("failed");
                assertThat(file.path("error").asString()).as(file.toString())
                        .containsAnyOf("needed more than the 128 MB of memory", "took longer than the limit");
                assertThat(alice.get("/actuator/health").status()).isEqualTo(200);
            }
        } finally {
            busy.set(false);
            for (Thread burner : burners) {
                burner.join();
            }
        }

        assertThat(server.alive()).isTrue();
        String ordinary = Ingestion.upload(alice, "after.docx", "application/octet-stream",
                Documents.docx("After the bombs", "The kingfisher dives.")).expect(201).text("/id");
        assertThat(awaitEnd(alice, ordinary, INGESTION).path("status").asString()).isEqualTo("ready");
    }
}
