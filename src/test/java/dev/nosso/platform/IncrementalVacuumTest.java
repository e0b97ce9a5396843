package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deleting chats on SQLite gives their space back: the database file shrinks, and what is kept reads back. */
class IncrementalVacuumTest {

    @Test
    void theDatabaseFileShrinksAfterMostChatsAreDeleted() throws Exception {
        try (TestDatabase database = TestDatabase.fresh(Dialect.SQLITE);
             ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.models("m").reply("m", Script.tokens("Noted."));
            Path file = database.dataDir().resolve("nosso.db");
            try (TestServer server = TestServer.start(database, Map.of(
                    "nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                    "nosso.generation.titles", "false",
                    "nosso.database.vacuum-interval", "1s"))) {
                assertThat(pragma(database, "auto_vacuum")).as("auto_vacuum").isEqualTo(2);
                // The schema's own pages (every table and index has at least one), which no delete gives back.
                long empty = pragma(database, "page_count") * pragma(database, "page_size");
                ApiClient alice = server.newUser();
                alice.patch("/api/v1/preferences", Map.of("memory", false)).expect(200); // no indexing to wait for
                List<String> chats = new ArrayList<>();
                String text = "A long note that fills pages. ".repeat(5_000); // 150 KB
                for (int i = 0; i < 30; i++) {
                    String chat = alice.post("/api/v1/chats", Map.of("title", "Chat " + i)).expect(201).text("/id");
                    String answer = alice.post("/api/v1/chats/" + chat + "/messages",
                            Map.of("content", text, "model", "m")).expect(202).text("/assistantMessage/id");
                    Eventually.within(Duration.ofSeconds(20)).until(
                            () -> alice.get("/api/v1/messages/" + answer).expect(200).text("/status"),
                            "complete"::equals);
                    chats.add(chat);
                }
                // Its size with what the write-ahead log holds: the file itself catches up at checkpoints.
                long full = pragma(database, "page_count") * pragma(database, "page_size");
                assertThat(full).isGreaterThan(4_000_000);

                for (String chat : chats.subList(1, chats.size())) {
                    alice.delete("/api/v1/chats/" + chat).expect(204);
                }

                // One chat of thirty is left: the file gives back at least three quarters of what the chats took.
                long bound = empty + (full - empty) / 4;
                long shrunk = Eventually.within(Duration.ofSeconds(30)).until(() -> Files.size(file),
                        size -> size < bound);
                assertThat(shrunk).isLessThan(bound);
                assertThat(alice.get("/api/v1/chats/" + chats.getFirst() + "/messages").expect(200)
                        .text("/items/0/content")).isEqualTo(text);
            }
            try (Connection c = database.connect(); ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
    }

    private static long pragma(TestDatabase database, String name) throws Exception {
        try (Connection c = database.connect(); ResultSet rs = c.createStatement().executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
