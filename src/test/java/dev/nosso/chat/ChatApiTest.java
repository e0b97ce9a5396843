package dev.nosso.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.ServerTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/** The chat and message API over real HTTP, on SQLite and on PostgreSQL. */
class ChatApiTest extends ServerTest {

    private ApiClient alice;

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.limits.max-message-chars", "1000");
    }

    @BeforeParameterizedClassInvocation
    void signIn() {
        alice = server.newUser();
    }

    private String newChat(ApiClient client, String title) {
        return client.post("/api/v1/chats", Map.of("title", title)).expect(201).text("/id");
    }

    private String append(ApiClient client, String chatId, String role, String content) {
        return client.post("/api/v1/chats/" + chatId + "/messages", Map.of("role", role, "content", content))
                .expect(201).text("/id");
    }

    private String appendUnder(String chatId, String parentId, String content) {
        Map<String, Object> body = new HashMap<>();
        body.put("role", "user");
        body.put("content", content);
        body.put("parentId", parentId);
        return alice.post("/api/v1/chats/" + chatId + "/messages", body).expect(201).text("/id");
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get(field).asString()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asString()));
        return values;
    }

    @Test
    void aNewChatHasADefaultTitleAndNoMessages() {
        Response created = alice.post("/api/v1/chats", Map.of()).expect(201);

        assertThat(created.text("/title")).isEqualTo("New chat");
        assertThat(created.at("/messageCount").asInt()).isZero();
        Response messages = alice.get("/api/v1/chats/" + created.text("/id") + "/messages").expect(200);
        assertThat(messages.at("/items").size()).isZero();
        assertThat(messages.at("/nextCursor").isNull()).isTrue();
    }

    @Test
    void chatsArePagedByLastUpdateNewestFirst() {
        ApiClient bob = server.newUser();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(newChat(bob, "chat " + i));
        }
        append(bob, created.get(1), "user", "this moves chat 1 to the top");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = bob.get("/api/v1/chats?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).expect(200);
            seen.addAll(texts(page.at("/items"), "id"));
            cursor = page.at("/nextCursor").isNull() ? null : page.text("/nextCursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(created.get(1), created.get(4), created.get(3), created.get(2), created.get(0));
    }

    @Test
    void chatsAreRenamedPinnedArchivedFiledAndTagged() {
        ApiClient carol = server.newUser();
        String chat = newChat(carol, "draft");
        String other = newChat(carol, "other");
        String folder = carol.post("/api/v1/folders", Map.of("name", "Work")).expect(201).text("/id");

        Response patched = carol.patch("/api/v1/chats/" + chat,
                Map.of("title", "Quarterly plan", "pinned", true, "folderId", folder)).expect(200);
        carol.post("/api/v1/chats/" + chat + "/tags", Map.of("name", " Planning ")).expect(200);
        carol.patch("/api/v1/chats/" + other, Map.of("archived", true)).expect(200);

        assertThat(patched.text("/title")).isEqualTo("Quarterly plan");
        assertThat(patched.at("/pinned").asBoolean()).isTrue();
        assertThat(carol.get("/api/v1/chats/" + chat).expect(200).at("/tags/0").asString()).isEqualTo("planning");
        assertThat(texts(carol.get("/api/v1/chats?pinned=true").expect(200).at("/items"), "id")).containsExactly(chat);
        assertThat(texts(carol.get("/api/v1/chats?folderId=" + folder).expect(200).at("/items"), "id")).containsExactly(chat);
        assertThat(texts(carol.get("/api/v1/chats?tag=planning").expect(200).at("/items"), "id")).containsExactly(chat);
        assertThat(texts(carol.get("/api/v1/chats").expect(200).at("/items"), "id")).containsExactly(chat);
        assertThat(texts(carol.get("/api/v1/chats?archived=true").expect(200).at("/items"), "id")).containsExactly(other);
        assertThat(carol.get("/api/v1/tags").expect(200).at("/0/chatCount").asInt()).isEqualTo(1);

        Map<String, Object> unfile = new HashMap<>();
        unfile.put("folderId", null);
        assertThat(carol.patch("/api/v1/chats/" + chat, unfile).expect(200).at("/folderId").isNull()).isTrue();
        assertThat(carol.get("/api/v1/chats/" + chat).at("/pinned").asBoolean()).isTrue();

        carol.delete("/api/v1/chats/" + chat + "/tags/planning").expect(204);
        assertThat(carol.get("/api/v1/tags").expect(200).json().size()).isZero();
    }

    @Test
    void foldersAreCreatedRenamedListedAndDeletedWithoutLosingTheirChats() {
        ApiClient dave = server.newUser();
        String folder = dave.post("/api/v1/folders", Map.of("name", "Ideas")).expect(201).text("/id");
        String chat = dave.post("/api/v1/chats", Map.of("title", "an idea", "folderId", folder)).expect(201).text("/id");

        dave.patch("/api/v1/folders/" + folder, Map.of("name", "Good ideas")).expect(200);
        assertThat(dave.get("/api/v1/folders").expect(200).at("/0/name").asString()).isEqualTo("Good ideas");
        assertThat(dave.get("/api/v1/folders/" + folder).expect(200).text("/name")).isEqualTo("Good ideas");

        dave.delete("/api/v1/folders/" + folder).expect(204);
        dave.get("/api/v1/folders/" + folder).expectProblem(404, "folder-not-found");
        assertThat(dave.get("/api/v1/chats/" + chat).expect(200).at("/folderId").isNull()).isTrue();
    }

    @Test
    void appendingBuildsTheActiveBranchAndBranchingMakesSiblings() {
        String chat = newChat(alice, "branches");
        String q1 = append(alice, chat, "user", "What is WAL?");
        String a1 = append(alice, chat, "assistant", "Write-ahead logging.");
        String q2 = append(alice, chat, "user", "And fsync?");

        // Editing the second question makes a sibling of it under the same parent, and shows the new branch.
        String q2b = appendUnder(chat, a1, "And synchronous=NORMAL?");
        Response branch = alice.get("/api/v1/chats/" + chat + "/messages").expect(200);
        assertThat(texts(branch.at("/items"), "id")).containsExactly(q1, a1, q2b);
        assertThat(branch.text("/activeLeafId")).isEqualTo(q2b);
        assertThat(strings(branch.at("/items/2/siblings"))).containsExactly(q2, q2b);
        assertThat(strings(branch.at("/items/0/siblings"))).containsExactly(q1);
        assertThat(branch.at("/items/0/parentId").isNull()).isTrue();
        assertThat(branch.text("/items/1/parentId")).isEqualTo(q1);

        // Switching back to the first branch shows it again, down to its leaf.
        alice.put("/api/v1/chats/" + chat + "/active-leaf", Map.of("messageId", q2)).expect(200);
        assertThat(texts(alice.get("/api/v1/chats/" + chat + "/messages").at("/items"), "content"))
                .containsExactly("What is WAL?", "Write-ahead logging.", "And fsync?");

        // A new root (a sibling of the first message) when parentId is an explicit null.
        String root2 = appendUnder(chat, null, "Start over");
        Response tree = alice.get("/api/v1/chats/" + chat + "/tree").expect(200);
        assertThat(texts(tree.at("/messages"), "id")).containsExactlyInAnyOrder(q1, a1, q2, q2b, root2);
        assertThat(tree.text("/activeLeafId")).isEqualTo(root2);
        assertThat(alice.get("/api/v1/chats/" + chat).at("/messageCount").asInt()).isEqualTo(5);
    }

    @Test
    void theTreeIsReadAPageAtATimeParentsBeforeChildren() {
        String chat = newChat(alice, "paged tree");
        String root = append(alice, chat, "user", "root");
        String a = append(alice, chat, "assistant", "a");
        String b = appendUnder(chat, root, "b"); // a sibling of a
        String c = append(alice, chat, "assistant", "c under b");
        String root2 = appendUnder(chat, null, "second root");

        List<String> read = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = alice.get("/api/v1/chats/" + chat + "/tree?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expect(200);
            assertThat(page.at("/messages").size()).isLessThanOrEqualTo(2);
            assertThat(page.text("/activeLeafId")).isEqualTo(root2);
            page.at("/messages").forEach(m -> {
                read.add(m.get("id").asString());
                depths.add(m.get("depth").asInt());
            });
            cursor = page.at("/nextCursor").isNull() ? null : page.text("/nextCursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(read).containsExactlyInAnyOrder(root, a, b, c, root2).doesNotHaveDuplicates();
        assertThat(depths).isSorted();
        assertThat(alice.get("/api/v1/chats/" + chat + "/tree").expect(200).at("/nextCursor").isNull()).isTrue();
        alice.get("/api/v1/chats/" + chat + "/tree?cursor=nonsense").expectProblem(400, "invalid-cursor");
        alice.get("/api/v1/chats/" + chat + "/tree?limit=0").expectProblem(400, "validation");
    }

    @Test
    void whatAnAppendAnswersIsExactlyWhatALaterReadReturns() {
        String chat = newChat(alice, "echo");
        Response appended = alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("role", "user", "content", "same both ways")).expect(201);

        Response read = alice.get("/api/v1/messages/" + appended.text("/id")).expect(200);

        assertThat(read.json()).isEqualTo(appended.json());
        assertThat(alice.get("/api/v1/chats/" + chat).text("/updatedAt")).isEqualTo(appended.text("/createdAt"));
    }

    @Test
    void theActiveBranchIsReadNewestWindowFirstWithACursorToOlderMessages() {
        String chat = newChat(alice, "long");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ids.add(append(alice, chat, i % 2 == 0 ? "user" : "assistant", "message " + i));
        }

        List<String> read = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = alice.get("/api/v1/chats/" + chat + "/messages?limit=50"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expect(200);
            read.addAll(0, texts(page.at("/items"), "id"));
            cursor = page.at("/nextCursor").isNull() ? null : page.text("/nextCursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(read).isEqualTo(ids);
    }

    @Test
    void aMessageIsEditedInPlaceAndDeletedWithItsSubtree() {
        String chat = newChat(alice, "edits");
        String q1 = append(alice, chat, "user", "helo");
        String a1 = append(alice, chat, "assistant", "hi");
        String a2 = appendUnder(chat, q1, "hello again");
        append(alice, chat, "user", "below a2");

        assertThat(alice.patch("/api/v1/messages/" + q1, Map.of("content", "hello")).expect(200).text("/content"))
                .isEqualTo("hello");

        // Deleting the shown branch moves the view to the remaining sibling branch.
        alice.delete("/api/v1/messages/" + a2).expect(204);
        alice.get("/api/v1/messages/" + a2).expectProblem(404, "message-not-found");
        Response branch = alice.get("/api/v1/chats/" + chat + "/messages").expect(200);
        assertThat(texts(branch.at("/items"), "id")).containsExactly(q1, a1);
        assertThat(alice.get("/api/v1/chats/" + chat).at("/messageCount").asInt()).isEqualTo(2);

        alice.delete("/api/v1/messages/" + q1).expect(204);
        assertThat(alice.get("/api/v1/chats/" + chat + "/messages").at("/items").size()).isZero();
        assertThat(alice.get("/api/v1/chats/" + chat).at("/messageCount").asInt()).isZero();
    }

    @Test
    void deletingAChatDeletesItsMessages() {
        String chat = newChat(alice, "doomed");
        String message = append(alice, chat, "user", "soon gone");

        alice.delete("/api/v1/chats/" + chat).expect(204);

        alice.get("/api/v1/chats/" + chat).expectProblem(404, "chat-not-found");
        alice.get("/api/v1/messages/" + message).expectProblem(404, "message-not-found");
        alice.delete("/api/v1/chats/" + chat).expectProblem(404, "chat-not-found");
    }

    @Test
    void searchFindsChatsByTitleAndMessageTextWithTheListFilters() {
        ApiClient erin = server.newUser();
        String byTitle = newChat(erin, "Kubernetes deployment notes");
        String byMessage = newChat(erin, "misc");
        append(erin, byMessage, "user", "How do I roll back a deployment safely?");
        String unrelated = newChat(erin, "cooking");
        append(erin, unrelated, "user", "A recipe for feijoada");
        ApiClient frank = server.newUser();
        String franks = newChat(frank, "my deployment");

        assertThat(texts(erin.get("/api/v1/search/chats?q=deploy").expect(200).at("/items"), "id"))
                .containsExactlyInAnyOrder(byTitle, byMessage);
        assertThat(texts(erin.get("/api/v1/search/chats?q=roll%20deployment").expect(200).at("/items"), "id"))
                .containsExactly(byMessage);
        assertThat(texts(erin.get("/api/v1/search/chats?q=FEIJOADA").expect(200).at("/items"), "id"))
                .containsExactly(unrelated);
        erin.patch("/api/v1/chats/" + byTitle, Map.of("pinned", true)).expect(200);
        assertThat(texts(erin.get("/api/v1/search/chats?q=deploy&pinned=true").expect(200).at("/items"), "id"))
                .containsExactly(byTitle);
        assertThat(texts(frank.get("/api/v1/search/chats?q=deploy").expect(200).at("/items"), "id"))
                .containsExactly(franks);
        erin.get("/api/v1/search/chats?q=%22*%20(%20)%20-").expectProblem(400, "empty-query");
        assertThat(erin.get("/api/v1/search/chats?q=deploy%22%20OR%20x").expect(200).at("/items").size()).isZero();
    }

    @Test
    void badInputGetsAClearProblemNeverA500() {
        String chat = newChat(alice, "input");

        alice.post("/api/v1/chats/" + chat + "/messages", "{not json").expectProblem(400, "malformed-body");
        alice.post("/api/v1/chats/" + chat + "/messages", null).expectProblem(400, "malformed-body");
        alice.post("/api/v1/chats/" + chat + "/messages", "{\"role\": null, \"content\": \"null role\"}")
                .expectProblem(400, "validation");
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "wizard", "content", "x"))
                .expectProblem(400, "malformed-body");
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "  "))
                .expectProblem(400, "validation");
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "x".repeat(1001)))
                .expectProblem(413, "message-too-large");
        alice.post("/api/v1/chats", Map.of("title", "t".repeat(201))).expectProblem(400, "title-too-long");
        alice.post("/api/v1/chats/" + chat + "/messages",
                Map.of("role", "user", "content", "x", "parentId", "0190b6a0-0000-7000-8000-000000000000"))
                .expectProblem(400, "parent-not-in-chat");
        alice.get("/api/v1/chats/not-a-uuid").expectProblem(404, "not-found");
        alice.get("/api/v1/chats?cursor=garbage").expectProblem(400, "bad-request");
        alice.get("/api/v1/chats?limit=0").expectProblem(400, "bad-request");
        alice.get("/api/v1/chats?pinned=maybe").expectProblem(400, "invalid-parameter");
        alice.put("/api/v1/chats/" + chat + "/active-leaf", Map.of()).expectProblem(400, "validation");
        alice.post("/api/v1/chats", "x".repeat(3 * 1024 * 1024)).expectProblem(413, "request-too-large");
        Response tooLarge = alice.post("/api/v1/chats", "x".repeat(3 * 1024 * 1024));
        assertThat(tooLarge.json().has("properties")).isFalse();
        String chunked = "{\"title\": \"" + "y".repeat(3 * 1024 * 1024) + "\"}";
        alice.postChunked("/api/v1/chats", chunked).expectProblem(413, "request-too-large");
        server.newUser().postChunked("/api/v1/chats", "{\"title\": \"small and chunked\"}").expect(201);
        alice.post("/api/v1/chats/" + chat + "/messages", Map.of("role", "user", "content", "nul \u0000 inside"))
                .expectProblem(400, "validation");
        alice.post("/api/v1/chats", Map.of("title", "nul \u0000")).expectProblem(400, "validation");
        alice.post("/api/v1/folders", Map.of("name", "nul \u0000")).expectProblem(400, "validation");
        server.anonymous().get("/api/v1/chats").expect(401);

        // Nothing above changed the chat.
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).at("/messageCount").asInt()).isZero();
    }
}
