package dev.nosso.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Memory of past conversations: finished messages become searchable (asynchronously, by a job) for their
 * owner only, follow edits, and are forgotten with their chat or when the owner turns memory off.
 */
class MemoryApiTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aFactSaidInOneChatIsFoundByItsOwnerOnlyAndNotAfterTheChatIsDeleted() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String chat = newChat(alice, "Pets");
        String said = append(alice, chat, "user", "My sister's cat is called Pumpernickel.");
        String answered = append(alice, chat, "assistant", "Pumpernickel is a fine name for a cat.");

        List<JsonNode> found = Eventually.within(WAIT).until(() -> search(alice, "Pumpernickel", "keyword"),
                r -> r.size() == 2);
        assertThat(found).allSatisfy(r -> {
            assertThat(r.path("sourceKind").asString()).isEqualTo("message");
            assertThat(r.path("chatId").asString()).isEqualTo(chat);
            assertThat(r.path("sourceName").asString()).isEqualTo("Pets");
        });
        assertThat(found).extracting(r -> r.path("sourceId").asString()).containsExactlyInAnyOrder(said, answered);
        // By meaning too, from anywhere: the question names no word of the message but "cat".
        assertThat(search(alice, "what is the name of my sister's cat", "hybrid").getFirst().path("sourceId")
                .asString()).isIn(said, answered);
        assertThat(search(bob, "Pumpernickel", "keyword")).isEmpty();
        assertThat(search(bob, "what is the name of my sister's cat", "vector")).isEmpty();
        // Renaming the chat renames its remembered passages.
        alice.patch("/api/v1/chats/" + chat, Map.of("title", "Family pets")).expect(200);
        assertThat(search(alice, "Pumpernickel", "keyword")).extracting(r -> r.path("sourceName").asString())
                .containsOnly("Family pets");

        // Chat search by meaning finds the chat, for its owner only; mode text stays the default.
        String other = newChat(alice, "Groceries");
        append(alice, other, "user", "Buy flour, eggs and butter.");
        JsonNode byMeaning = alice.get("/api/v1/search/chats?mode=semantic&q=what+is+my+sister%27s+cat+called")
                .expect(200).json();
        assertThat(byMeaning.at("/items/0/id").asString()).isEqualTo(chat);
        assertThat(bob.get("/api/v1/search/chats?mode=semantic&q=Pumpernickel").expect(200).at("/items").size())
                .isZero();
        alice.get("/api/v1/search/chats?mode=fuzzy&q=cat").expectProblem(400, "invalid-mode");
        alice.get("/api/v1/search/chats?mode=semantic&q=%21%21").expectProblem(400, "empty-query");
        alice.delete("/api/v1/chats/" + other).expect(204);

        alice.patch("/api/v1/chats/" + chat, Map.of("archived", true)).expect(200);
        assertThat(search(alice, "Pumpernickel", "keyword")).hasSize(2);

        alice.delete("/api/v1/chats/" + chat).expect(204);
        assertThat(search(alice, "Pumpernickel", "keyword")).isEmpty();
        assertThat(search(alice, "what is the name of my sister's cat", "vector")).isEmpty();
    }

    @Test
    void anEditedMessageIsFoundByItsNewTextAndADeletedOneNotAtAll() {
        ApiClient alice = server.newUser();
        String chat = newChat(alice, "Plans");
        String message = append(alice, chat, "user", "The meeting is in Quixotica on Friday.");
        String reply = append(alice, chat, "assistant", "Noted: Quixotica, Friday.");
        Eventually.within(WAIT).until(() -> search(alice, "Quixotica", "keyword"), r -> r.size() == 2);

        alice.patch("/api/v1/messages/" + message, Map.of("content", "The meeting moved to Brobdingnag.")).expect(200);
        Eventually.within(WAIT).until(() -> search(alice, "Brobdingnag", "keyword"), r -> r.size() == 1);
        assertThat(search(alice, "Quixotica", "keyword")).extracting(r -> r.path("sourceId").asString())
                .containsExactly(reply);

        alice.delete("/api/v1/messages/" + message).expect(204); // and the reply below it
        assertThat(search(alice, "Brobdingnag", "keyword")).isEmpty();
        assertThat(search(alice, "Quixotica", "keyword")).isEmpty();
    }

    @Test
    void turningMemoryOffForgetsTheUsersMessagesUntilItIsTurnedBackOn() {
        ApiClient alice = server.newUser();
        assertThat(alice.get("/api/v1/preferences").expect(200).json().path("memory").asBoolean()).isTrue();
        alice.patch("/api/v1/preferences", Map.of("systemPrompt", "Be brief.")).expect(200);
        String chat = newChat(alice, "Trip");
        append(alice, chat, "user", "We are flying to Zanzibar in June.");
        Eventually.within(WAIT).until(() -> search(alice, "Zanzibar", "keyword"), r -> r.size() == 1);

        JsonNode off = alice.patch("/api/v1/preferences", Map.of("memory", false)).expect(200).json();
        assertThat(off.path("memory").asBoolean()).isFalse();
        assertThat(off.path("systemPrompt").asString()).isEqualTo("Be brief."); // a partial PATCH
        Eventually.within(WAIT).until(() -> search(alice, "Zanzibar", "keyword"), List::isEmpty);

        append(alice, chat, "user", "The hotel is the Flamingo Lodge.");
        awaitNoUnfinishedJobs();
        assertThat(search(alice, "Flamingo", "keyword")).isEmpty();

        // Back on: a reindex-memory job remembers the whole past again, and new messages as before.
        alice.patch("/api/v1/preferences", Map.of("memory", true)).expect(200);
        append(alice, chat, "user", "The flight leaves from Lisbon.");
        Eventually.within(WAIT).until(() -> search(alice, "Lisbon", "keyword"), r -> r.size() == 1);
        Eventually.within(WAIT).until(() -> search(alice, "Zanzibar", "keyword"), r -> r.size() == 1);
        Eventually.within(WAIT).until(() -> search(alice, "Flamingo", "keyword"), r -> r.size() == 1);
    }

    private static String newChat(ApiClient client, String title) {
        return client.post("/api/v1/chats", Map.of("title", title)).expect(201).text("/id");
    }

    private static String append(ApiClient client, String chatId, String role, String content) {
        return client.post("/api/v1/chats/" + chatId + "/messages", Map.of("role", role, "content", content))
                .expect(201).text("/id");
    }

    private static List<JsonNode> search(ApiClient client, String query, String mode) {
        JsonNode body = client.post("/api/v1/search", Map.of("query", query, "mode", mode, "memory", true))
                .expect(200).json();
        List<JsonNode> results = new ArrayList<>();
        body.path("results").forEach(results::add);
        return results;
    }

    /** Waits until every queued job has run: the way to see that a job did nothing. */
    private void awaitNoUnfinishedJobs() {
        Eventually.within(WAIT).until(() -> {
            try (Connection c = database.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")) {
                rs.next();
                return rs.getLong(1);
            }
        }, unfinished -> unfinished == 0);
    }
}
