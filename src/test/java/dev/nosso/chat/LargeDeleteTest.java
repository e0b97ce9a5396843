package dev.nosso.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Deleting a large subtree goes in bounded batches, each a short write of its own: another user's append is
 * answered while the deletion is still under way, instead of waiting for all of it; and at the end the
 * subtree is gone, the chat's count and shown branch are right. The timings are {@code DeleteStallBench}'s.
 */
class LargeDeleteTest extends ServerTest {

    private static final int SUBTREE = 1_000;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.limits.delete-batch", "5"); // many batches, so the test sees the deletion under way
    }

    @Test
    void anotherUsersAppendIsAnsweredWhileALargeSubtreeIsBeingDeleted() throws Exception {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of("title", "Long")).expect(201).text("/id");
        String keptRoot = alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "kept"))
                .expect(201).text("/id");
        String keptLeaf = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("role", "assistant", "content", "kept too")).expect(201).text("/id");
        UUID doomedRoot = chain(alice, chat, SUBTREE); // a second root, shown: its leaf is active
        String bobsChat = bob.post("/api/v1/chats", Map.of()).expect(201).text("/id");

        CompletableFuture<ApiClient.Response> deleting = CompletableFuture.supplyAsync(
                () -> alice.delete("/api/v1/messages/" + doomedRoot));
        while (remaining(chat) == SUBTREE + 2 && !deleting.isDone()) {
            Thread.onSpinWait();
        }
        bob.post("/api/v1/chats/" + bobsChat + "/messages", Map.of("role", "user", "content", "still here?"))
                .expect(201);
        long left = remaining(chat);

        assertThat(left).as("alice's messages left when bob's append was answered").isGreaterThan(2);
        deleting.get().expect(204);
        assertThat(remaining(chat)).isEqualTo(2);
        ApiClient.Response tree = alice.get("/api/v1/chats/" + chat + "/tree").expect(200);
        List<String> ids = new ArrayList<>();
        tree.at("/messages").forEach(m -> ids.add(m.get("id").asString()));
        assertThat(ids).containsExactly(keptRoot, keptLeaf);
        assertThat(tree.text("/activeLeafId")).isEqualTo(keptLeaf);
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).at("/messageCount").asInt()).isEqualTo(2);
        alice.get("/api/v1/messages/" + doomedRoot).expectProblem(404, "message-not-found");
    }

    /** Appends a chain of {@code n} messages as a new root of the chat, whose end becomes the shown leaf. */
    private UUID chain(ApiClient owner, String chatId, int n) {
        Map<String, Object> asRoot = new HashMap<>();
        asRoot.put("role", "user");
        asRoot.put("content", "message 0");
        asRoot.put("parentId", null);
        UUID root = UUID.fromString(owner.post("/api/v1/chats/" + chatId + "/messages", asRoot).expect(201).text("/id"));
        UUID ownerId = UUID.fromString(owner.get("/api/v1/auth/me").expect(200).text("/id"));
        Messages messages = server.context().getBean(Messages.class); // faster than a thousand requests
        for (int i = 1; i < n; i++) {
            messages.append(ownerId, UUID.fromString(chatId),
                    NewMessage.of(i % 2 == 0 ? MessageRole.USER : MessageRole.ASSISTANT, "message " + i, null));
        }
        return root;
    }

    private long remaining(String chatId) {
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE chat_id = ?")) {
            ps.setObject(1, id(UUID.fromString(chatId)));
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
