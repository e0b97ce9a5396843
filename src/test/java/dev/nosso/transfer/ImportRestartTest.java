package dev.nosso.transfer;

import static dev.nosso.transfer.Transfers.chatsByTitle;
import static dev.nosso.transfer.Transfers.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.platform.jobs.RunningJob;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import dev.nosso.support.TestServer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A server stopped while an import's job holds it: the file waits in the file store, the next server resumes the
 * job, and the import ends with every chat.
 */
class ImportRestartTest extends ServerTest {

    static final Map<String, Object> SHORT_LEASE = Map.of("nosso.jobs.lease", "2s");

    @Override
    protected Map<String, Object> settings() {
        return SHORT_LEASE;
    }

    @Test
    void anImportStoppedByARestartResumesFromTheStoredFile() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        // Stands in for a long import: it holds the job until the server stops under it.
        server.context().getBean(Jobs.class).register(new JobHandler() {
            @Override
            public String kind() {
                return Imports.KIND;
            }

            @Override
            public void run(RunningJob job) throws InterruptedException {
                started.countDown();
                new CountDownLatch(1).await();
            }
        });
        ApiClient alice = server.newUser();
        String email = alice.get("/api/v1/auth/me").expect(200).text("/email");
        String id = alice.upload("/api/v1/imports", "conversations.json", "application/json",
                fixture("chatgpt-conversations.json"), Map.of()).expect(202).text("/id");
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        server = server.restart(SHORT_LEASE);

        ApiClient again = server.anonymous().login(email, TestServer.PASSWORD);
        JsonNode done = Eventually.within(Transfers.WAIT).until(() -> again.get("/api/v1/imports/" + id).expect(200)
                .json(), imported -> imported.path("status").asString().equals("done"));
        assertThat(done.at("/report/chatsCreated").asInt()).isEqualTo(2);
        assertThat(chatsByTitle(again)).containsOnlyKeys("Receita de pão de queijo", "Hello");
    }
}
