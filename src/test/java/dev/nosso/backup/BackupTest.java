package dev.nosso.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A backup taken while the server serves, an answer streaming, restored into an empty folder: a server started
 * on it reads every chat back as it was, branches included, and every uploaded file with its bytes. Restore
 * refuses a folder that a running server holds, and one that already holds data unless told.
 */
class BackupTest {

    @Test
    void aBackupTakenWhileAnAnswerStreamsRestoresEveryChatAndFile() throws Exception {
        try (TestDatabase original = TestDatabase.fresh(Dialect.SQLITE);
             TestDatabase restored = TestDatabase.fresh(Dialect.SQLITE);
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            Script.Gate gate = new Script.Gate();
            upstream.models("m", "slow").reply("m", Script.tokens("Lisbon", " has", " trams."))
                    .reply("slow", Script.repeat("word ", 100).holdAfter(20, gate));
            Map<String, Object> settings = Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false");
            Map<String, JsonNode> trees = new LinkedHashMap<>();
            Path zip = original.dataDir().resolveSibling(original.dataDir().getFileName() + "-backup.zip");
            String aliceEmail;
            String bobEmail;
            String bobs;
            JsonNode bobsTree;
            String fileId;
            byte[] fileBytes = "# Trams\n\nTram 28 climbs to Graça. Açúcar, pão, 🚋.\n".getBytes(StandardCharsets.UTF_8);
            String streamingChat;
            String streamingAnswer;
            try (TestServer server = TestServer.start(original, settings)) {
                ApiClient alice = server.newUser();
                ApiClient bob = server.newUser();
                aliceEmail = alice.get("/api/v1/auth/me").expect(200).text("/email");
                bobEmail = bob.get("/api/v1/auth/me").expect(200).text("/email");

                String branched = alice.post("/api/v1/chats", Map.of("title", "Branches")).expect(201).text("/id");
                String question = alice.post("/api/v1/chats/" + branched + "/messages",
                        Map.of("content", "Where to eat?")).expect(201).text("/id");
                alice.post("/api/v1/chats/" + branched + "/messages",
                        Map.of("role", "assistant", "content", "Time Out Market.", "parentId", question)).expect(201);
                alice.post("/api/v1/chats/" + branched + "/messages",
                        Map.of("role", "assistant", "content", "A tasca in Alfama.", "parentId", question)).expect(201);
                String answered = alice.post("/api/v1/chats", Map.of("title", "Answered")).expect(201).text("/id");
                String answer = alice.post("/api/v1/chats/" + answered + "/messages",
                        Map.of("content", "Tell me about Lisbon", "model", "m")).expect(202).text("/assistantMessage/id");
                Eventually.within(Duration.ofSeconds(20)).until(
                        () -> alice.get("/api/v1/messages/" + answer).expect(200).text("/status"), "complete"::equals);
                bobs = bob.post("/api/v1/chats", Map.of("title", "Bob's")).expect(201).text("/id");
                bob.post("/api/v1/chats/" + bobs + "/messages", Map.of("content", "Olá, coração")).expect(201);
                fileId = alice.upload("/api/v1/files", "trams.md", "text/markdown", fileBytes, Map.of())
                        .expect(201).text("/id");
                Eventually.within(Duration.ofSeconds(60)).until(
                        () -> alice.get("/api/v1/files/" + fileId).expect(200).text("/status"), "ready"::equals);
                trees.put(branched, alice.get("/api/v1/chats/" + branched + "/tree").expect(200).json());
                trees.put(answered, alice.get("/api/v1/chats/" + answered + "/tree").expect(200).json());
                bobsTree = bob.get("/api/v1/chats/" + bobs + "/tree").expect(200).json();

                streamingChat = alice.post("/api/v1/chats", Map.of("title", "Streaming")).expect(201).text("/id");
                streamingAnswer = alice.post("/api/v1/chats/" + streamingChat + "/messages",
                        Map.of("content", "Talk while the backup runs", "model", "slow")).expect(202)
                        .text("/assistantMessage/id");
                gate.awaitReached(Duration.ofSeconds(20));

                assertThat(command(Backup::run, "backup", "--to=" + zip, "--nosso.data-dir=" + original.dataDir()))
                        .startsWith("0 ");
                assertThat(command(Restore::run, "restore", "--from=" + zip,
                        "--nosso.data-dir=" + original.dataDir(), "--force")).startsWith("1 ").contains("running");
                gate.release();

                assertThat(command(Restore::run, "restore", "--from=" + zip, "--nosso.data-dir=" + restored.dataDir()))
                        .startsWith("0 ");
                assertThat(command(Restore::run, "restore", "--from=" + zip, "--nosso.data-dir=" + restored.dataDir()))
                        .startsWith("1 ").contains("--force");

                try (TestServer again = TestServer.start(restored, settings)) {
                    ApiClient alice2 = again.anonymous().login(aliceEmail, TestServer.PASSWORD);
                    for (var chat : trees.entrySet()) {
                        assertThat(alice2.get("/api/v1/chats/" + chat.getKey() + "/tree").expect(200).json())
                                .isEqualTo(chat.getValue());
                    }
                    assertThat(alice2.download("/api/v1/files/" + fileId + "/content").body()).isEqualTo(fileBytes);
                    assertThat(alice2.get("/api/v1/chats?limit=50").expect(200).json().path("items").size()).isEqualTo(3);
                    // The answer streaming when the copy was taken comes back interrupted, with the text it had.
                    JsonNode interrupted = Eventually.within(Duration.ofSeconds(20)).until(
                            () -> alice2.get("/api/v1/messages/" + streamingAnswer).expect(200).json(),
                            m -> m.path("status").asString().equals("interrupted"));
                    assertThat("word ".repeat(100)).startsWith(interrupted.path("content").asString());
                    ApiClient bob2 = again.anonymous().login(bobEmail, TestServer.PASSWORD);
                    assertThat(bob2.get("/api/v1/chats/" + bobs + "/tree").expect(200).json()).isEqualTo(bobsTree);
                    assertThat(bobsTree.toString()).contains("Olá, coração");
                }
            }
        }
    }

    private interface Command {
        int run(String[] args, PrintStream out);
    }

    /** The exit code and what the command printed, as "code output". */
    private static String command(Command command, String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = command.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
        return code + " " + printed.toString(StandardCharsets.UTF_8);
    }
}
