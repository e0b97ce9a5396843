package dev.nosso.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/pages/chat}: the chat screen's data in one call, on SQLite and on PostgreSQL. */
class ChatScreenApiTest extends ServerTest {

    private ApiClient alice;
    private String folder;
    private String longChat;

    @BeforeParameterizedClassInvocation
    void aliceHasChats() {
        alice = server.newUser();
        folder = alice.post("/api/v1/folders", Map.of("name", "Work")).expect(201).text("/id");
        String collection = alice.post("/api/v1/collections", Map.of("name", "Papers")).expect(201).text("/id");
        for (int i = 0; i < 7; i++) {
            String chat = alice.post("/api/v1/chats", Map.of("title", "Chat " + i)).expect(201).text("/id");
            if (i < 2) {
                alice.patch("/api/v1/chats/" + chat, Map.of("pinned", true)).expect(200);
            }
            if (i % 3 == 0) {
                alice.post("/api/v1/chats/" + chat + "/tags", Map.of("name", "idea")).expect(200);
                alice.post("/api/v1/chats/" + chat + "/tags", Map.of("name", "draft")).expect(200);
            }
            if (i == 4) {
                alice.patch("/api/v1/chats/" + chat, Map.of("folderId", folder, "collectionIds", List.of(collection)))
                        .expect(200);
            }
            if (i == 6) {
                alice.patch("/api/v1/chats/" + chat, Map.of("archived", true)).expect(200);
            }
        }
        longChat = alice.post("/api/v1/chats", Map.of("title", "Long")).expect(201).text("/id");
        alice.post("/api/v1/chats/" + longChat + "/tags", Map.of("name", "idea")).expect(200);
        alice.patch("/api/v1/chats/" + longChat, Map.of("collectionIds", List.of(collection))).expect(200);
        String parent = null;
        for (int i = 0; i < 8; i++) {
            parent = alice.post("/api/v1/chats/" + longChat + "/messages", Map.of("role", i % 2 == 0 ? "user" : "assistant",
                    "content", "Message " + i)).expect(201).text("/id");
        }
        // A second version of the last answer, so the window carries siblings.
        alice.post("/api/v1/chats/" + longChat + "/messages", Map.of("role", "assistant", "content", "Again",
                "parentId", alice.get("/api/v1/messages/" + parent).expect(200).text("/parentId"))).expect(201);
    }

    @Test
    void oneCallGivesWhatTheSeparateCallsGive() {
        JsonNode screen = alice.get("/api/v1/pages/chat?chatId=" + longChat + "&limit=3&chats=2").expect(200).json();

        assertThat(screen.get("chat")).isEqualTo(alice.get("/api/v1/chats/" + longChat).expect(200).json());
        assertThat(screen.get("messages"))
                .isEqualTo(alice.get("/api/v1/chats/" + longChat + "/messages?limit=3").expect(200).json());
        JsonNode sidebar = screen.get("sidebar");
        assertThat(sidebar.get("pinned"))
                .isEqualTo(alice.get("/api/v1/chats?pinned=true&limit=100").expect(200).json().get("items"));
        assertThat(sidebar.get("chats")).isEqualTo(alice.get("/api/v1/chats?pinned=false&limit=2").expect(200).json());
        assertThat(sidebar.get("folders")).isEqualTo(alice.get("/api/v1/folders").expect(200).json());
        assertThat(sidebar.get("tags")).isEqualTo(alice.get("/api/v1/tags").expect(200).json());
        assertThat(sidebar.get("pinned")).hasSize(2);
        assertThat(sidebar.get("chats").get("nextCursor").isNull()).isFalse();
    }

    @Test
    void theSidebarsFirstPageHasEveryUnarchivedChatOnceWhenItIsShort() {
        JsonNode sidebar = alice.get("/api/v1/pages/chat").expect(200).json().get("sidebar");

        assertThat(sidebar.get("chats"))
                .isEqualTo(alice.get("/api/v1/chats?pinned=false&limit=30").expect(200).json());
        assertThat(sidebar.get("chats").get("items")).hasSize(5); // 7 chats and the long one, 2 pinned, 1 archived
        assertThat(sidebar.get("chats").get("nextCursor").isNull()).isTrue();
    }

    @Test
    void withoutAChatOrTheSidebarOnlyTheirPartsAreLeftOut() {
        JsonNode noChat = alice.get("/api/v1/pages/chat").expect(200).json();
        assertThat(noChat.get("chat").isNull()).isTrue();
        assertThat(noChat.get("messages").isNull()).isTrue();
        assertThat(noChat.get("sidebar").isObject()).isTrue();

        JsonNode noSidebar = alice.get("/api/v1/pages/chat?sidebar=false&chatId=" + longChat).expect(200).json();
        assertThat(noSidebar.get("sidebar").isNull()).isTrue();
        assertThat(noSidebar.get("chat").get("id").asString()).isEqualTo(longChat);
    }

    @Test
    void anotherUsersChatLooksExactlyLikeAMissingOneAndTheirSidebarIsTheirsAlone() {
        ApiClient bob = server.newUser();

        bob.get("/api/v1/pages/chat?chatId=" + longChat).expectProblem(404, "chat-not-found");
        bob.get("/api/v1/pages/chat?chatId=01900000-0000-7000-8000-000000000000").expectProblem(404, "chat-not-found");
        JsonNode sidebar = bob.get("/api/v1/pages/chat").expect(200).json().get("sidebar");
        assertThat(sidebar.get("pinned")).isEmpty();
        assertThat(sidebar.get("chats").get("items")).isEmpty();
        assertThat(sidebar.get("folders")).isEmpty();
        assertThat(sidebar.get("tags")).isEmpty();
    }

    @Test
    void strangersAreRefused() {
        server.anonymous().get("/api/v1/pages/chat").expect(401);
    }
}
