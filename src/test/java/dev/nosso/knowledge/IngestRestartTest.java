package dev.nosso.knowledge;

import static dev.nosso.knowledge.Ingestion.awaitEnd;
import static dev.nosso.knowledge.Ingestion.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.platform.jobs.RunningJob;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A server stopped while a file is being ingested: the next one resumes the job, and the file ends ready. */
class IngestRestartTest extends ServerTest {

    static final Map<String, Object> SHORT_LEASE = Map.of("nosso.jobs.lease", "2s");

    @Override
    protected Map<String, Object> settings() {
        return SHORT_LEASE;
    }

    @Test
    void aJobStoppedByARestartResumesAndTheFileEndsReady() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        // Stands in for a long ingestion: it holds the job until the server stops under it.
        server.context().getBean(Jobs.class).register(new JobHandler() {
            @Override
            public String kind() {
                return "ingest-file";
            }

            @Override
            public void run(RunningJob job) throws InterruptedException {
                job.progress(1, 10);
                started.countDown();
                new CountDownLatch(1).await();
            }
        });
        ApiClient alice = server.newUser();
        String email = alice.get("/api/v1/auth/me").expect(200).text("/email");
        ApiClient.Response created = upload(alice, "long.md", "text/markdown", Documents.markdown("Long", "A long read."))
                .expect(201);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.get("/api/v1/jobs/" + created.text("/jobId")).expect(200).text("/state")).isEqualTo("running");

        server = server.restart(SHORT_LEASE);

        ApiClient again = server.anonymous().login(email, dev.nosso.support.TestServer.PASSWORD);
        JsonNode file = awaitEnd(again, created.text("/id"), Duration.ofSeconds(60));
        assertThat(file.path("status").asString()).isEqualTo("ready");
        JsonNode job = again.get("/api/v1/jobs/" + created.text("/jobId")).expect(200).json();
        assertThat(job.path("state").asString()).isEqualTo("done");
    }
}
