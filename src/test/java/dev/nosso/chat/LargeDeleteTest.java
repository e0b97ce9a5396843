package dev.nosso.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Deleting hides at once and sweeps in bounded batches: one short write takes the whole subtree (or chat) out
 * of every read, then the {@code sweep-deleted} job removes the rows a few at a time, each batch a write of its
 * own, so that another user's append is answered while the sweep is under way. No read between two batches
 * shows any part of what is being deleted; at the end the rows are gone and the chat's count and shown branch
 * are right. The timings are {@code DeleteStallBench}'s.
 */
class LargeDeleteTest extends ServerTest {

    private static final int SUBTREE = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.limits.delete-batch", "5"); // many batches, so the test sees the sweep under way
    }

    @Test
    void readsBetweenTheBatchesNeverShowAPartlyDeletedSubtreeAndOthersAppendMeanwhile() {
        ApiClient alice = quietUser();
        ApiClient bob = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of("title", "Long")).expect(201).text("/id");
        String keptRoot = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "kept"))
                .expect(201).text("/id");
        String keptLeaf = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("role", "assistant", "content", "kept too")).expect(201).text("/id");
        List<UUID> doomed = chain(alice, chat, SUBTREE); // a second root, shown: its leaf is active
        String bobsChat = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");

        alice.delete("/api/v1/messages/" + doomed.getFirst()).expect(204);

        int readsMidway = 0;
        boolean bobAppended = false;
        while (remaining(chat) > 2) {
            long before = remaining(chat);
            assertThat(treeIds(alice, chat)).containsExactly(keptRoot, keptLeaf);
            JsonNode window = alice.get("/api/v1/chats/" + chat + "/messages").expect(200).json();
            assertThat(window.get("activeLeafId").asString()).isEqualTo(keptLeaf);
            assertThat(window.get("items")).hasSize(2);
            assertThat(window.get("items").get(0).get("siblings")).hasSize(1); // the doomed root is no sibling
            alice.get("/api/v1/messages/" + doomed.get(SUBTREE / 2)).expectProblem(404, "message-not-found");
            alice.patch("/api/v1/messages/" + doomed.getLast(), Map.of("content", "too late"))
                    .expectProblem(404, "message-not-found");
            alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "under it",
                    "parentId", doomed.getLast().toString())).expectProblem(400, "parent-not-in-chat");
            assertThat(alice.get("/api/v1/chats/" + chat).expect(200).at("/messageCount").asInt()).isEqualTo(2);
            if (!bobAppended) {
                bob.post("/api/v1/chats/" + bobsChat + "/messages", Map.of("role", "user", "content", "still here?"))
                        .expect(201);
                bobAppended = remaining(chat) > 2;
            }
            if (remaining(chat) > 2 && before < SUBTREE + 2) {
                readsMidway++; // batches had run before these reads, and more were still to come after them
            }
        }

        assertThat(readsMidway).as("rounds of reads between two batches").isPositive();
        assertThat(bobAppended).as("bob's append answered while alice's messages were being swept").isTrue();
        assertThat(treeIds(alice, chat)).containsExactly(keptRoot, keptLeaf);
        alice.get("/api/v1/messages/" + doomed.getFirst()).expectProblem(404, "message-not-found");
    }

    @Test
    void searchAndTheChatSearchDropAHiddenSubtreeBeforeItsChunksAreSwept() {
        ApiClient alice = server.newUser();
        UUID owner = idOf(alice);
        String chat = alice.post("/api/v1/chats", Map.of("title", "Birds")).expect(201).text("/id");
        String kept = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("role", "user", "content", "The heron waits by the river.")).expect(201).text("/id");
        String doomed = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("role", "assistant", "content", "A zephyrquill nests in the reeds.")).expect(201).text("/id");
        alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("role", "user", "content", "Tell me more about the zephyrquill.")).expect(201);
        Eventually.within(WAIT).until(() -> chunks(owner), n -> n == 3);
        assertThat(memoryHits(alice, "zephyrquill")).isEqualTo(2);

        // The state between two batches of a sweep, held still: everything hidden, nothing yet swept.
        MessageRepository messages = server.context().getBean(MessageRepository.class);
        assertThat(messages.hideSubtree(UUID.fromString(chat), UUID.fromString(doomed))).isEqualTo(2);

        assertThat(memoryHits(alice, "zephyrquill")).isZero();
        assertThat(alice.get("/api/v1/search/chats?q=zephyrquill").expect(200).at("/items")).isEmpty();
        assertThat(alice.get("/api/v1/search/chats?q=heron").expect(200).at("/items")).hasSize(1);
        assertThat(treeIds(alice, chat)).containsExactly(kept);
        assertThat(chunks(owner)).isPositive(); // still stored: only the sweep removes them

        server.context().getBean(Jobs.class).enqueueUnlessQueued(owner, SweepDeleted.KIND, "{}");
        Eventually.within(WAIT).until(() -> remaining(chat), n -> n == 1);
        Eventually.within(WAIT).until(() -> chunks(owner), n -> n == 1); // the heron's
    }

    @Test
    void aDeletedChatIsGoneAtOnceAndItsMessagesAreSweptEvenAcrossARestart() {
        ApiClient alice = quietUser();
        String chat = alice.post("/api/v1/chats", Map.of("title", "Doomed chat")).expect(201).text("/id");
        alice.post("/api/v1/chats/" + chat + "/tags", Map.of("name", "doomed")).expect(200);
        String other = alice.post("/api/v1/chats", Map.of("title", "Other chat")).expect(201).text("/id");
        alice.post("/api/v1/chats/" + other + "/tags", Map.of("name", "kept")).expect(200);
        List<UUID> ids = chain(alice, chat, 600);

        alice.delete("/api/v1/chats/" + chat).expect(204);

        alice.get("/api/v1/chats/" + chat).expectProblem(404, "chat-not-found");
        alice.get("/api/v1/chats/" + chat + "/tree").expectProblem(404, "chat-not-found");
        alice.get("/api/v1/messages/" + ids.getLast()).expectProblem(404, "message-not-found");
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "hello?"))
                .expectProblem(404, "chat-not-found");
        List<String> listed = new ArrayList<>();
        alice.get("/api/v1/chats").expect(200).at("/items").forEach(c -> listed.add(c.get("id").asString()));
        assertThat(listed).containsExactly(other);
        assertThat(alice.get("/api/v1/search/chats?q=Doomed").expect(200).at("/items")).isEmpty();
        List<String> tags = new ArrayList<>();
        alice.get("/api/v1/tags").expect(200).json().forEach(t -> tags.add(t.get("name").asString()));
        assertThat(tags).containsExactly("kept");

        server = server.restart(settings()); // most likely in the middle of the sweep; either way it must finish
        Eventually.within(WAIT).until(() -> remaining(chat), n -> n == 0);
        Eventually.within(WAIT).until(() -> chatRows(chat), n -> n == 0);
    }

    /** A new user whose memory is off: thousands of messages then queue no embedding work beside the test. */
    private ApiClient quietUser() {
        ApiClient user = server.newUser();
        user.patch("/api/v1/preferences", Map.of("memory", false)).expect(200);
        return user;
    }

    /** Appends a chain of {@code n} messages as a new root of the chat, whose end becomes the shown leaf. */
    private List<UUID> chain(ApiClient owner, String chatId, int n) {
        Map<String, Object> asRoot = new HashMap<>();
        asRoot.put("role", "user");
        asRoot.put("content", "message 0");
        asRoot.put("parentId", null);
        List<UUID> ids = new ArrayList<>();
        ids.add(UUID.fromString(owner.post("/api/v1/chats/" + chatId + "/messages", asRoot).expect(201).text("/id")));
        UUID ownerId = idOf(owner);
        Messages messages = server.context().getBean(Messages.class); // faster than a thousand requests
        for (int i = 1; i < n; i++) {
            ids.add(messages.append(ownerId, UUID.fromString(chatId),
                    NewMessage.of(i % 2 == 0 ? MessageRole.USER : MessageRole.ASSISTANT, "message " + i, null)).id());
        }
        return ids;
    }

    private static List<String> treeIds(ApiClient owner, String chatId) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            ApiClient.Response page = owner.get("/api/v1/chats/" + chatId + "/tree?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expect(200);
            page.at("/messages").forEach(m -> ids.add(m.get("id").asString()));
            JsonNode next = page.at("/nextCursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asString();
        } while (cursor != null);
        return ids;
    }

    private static int memoryHits(ApiClient owner, String word) {
        Map<String, Object> body = Map.of("query", word, "mode", "keyword", "fileIds", List.of());
        return owner.post("/api/v1/search", body).expect(200).at("/results").size();
    }

    private UUID idOf(ApiClient user) {
        return UUID.fromString(user.get("/api/v1/auth/me").expect(200).text("/id"));
    }

    private long remaining(String chatId) {
        return count("SELECT COUNT(*) FROM messages WHERE chat_id = ?", id(UUID.fromString(chatId)));
    }

    private long chatRows(String chatId) {
        return count("SELECT COUNT(*) FROM chats WHERE id = ?", id(UUID.fromString(chatId)));
    }

    private long chunks(UUID owner) {
        return count("SELECT COUNT(*) FROM chunks WHERE user_id = ? AND source_kind = 'message'", id(owner));
    }

    private long count(String sql, Object param) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Object id(UUID id) {
        return dialect == Dialect.POSTGRESQL ? id : id.toString();
    }
}
