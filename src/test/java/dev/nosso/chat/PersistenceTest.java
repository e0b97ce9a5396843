package dev.nosso.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The seed's original bug: messages gone after a reload. Here they survive a restart of the whole server. */
class PersistenceTest {

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Dialect.class)
    void everyMessageAndBranchComesBackAfterARestart(Dialect dialect) {
        try (TestDatabase database = TestDatabase.fresh(dialect)) {
            TestServer server = TestServer.start(database);
            String email;
            String chat;
            List<String> branch = new ArrayList<>();
            String otherBranch;
            try {
                ApiClient user = server.newUser();
                email = user.get("/api/v1/auth/me").expect(200).text("/email");
                chat = user.post("/api/v1/chats", Map.of("title", "keep me")).expect(201).text("/id");
                for (int i = 0; i < 6; i++) {
                    branch.add(user.post("/api/v1/chats/" + chat + "/messages",
                            Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "line " + i + " — ünïcode ✓"))
                            .expect(201).text("/id"));
                }
                otherBranch = user.post("/api/v1/chats/" + chat + "/messages",
                        Map.of("role", "assistant", "content", "another answer", "parentId", branch.get(4)))
                        .expect(201).text("/id");
                user.put("/api/v1/chats/" + chat + "/active-leaf", Map.of("messageId", branch.get(5))).expect(200);
            } finally {
                server.close();
            }

            TestServer restarted = TestServer.start(database);
            try {
                ApiClient user = restarted.anonymous().login(email, TestServer.PASSWORD);
                var window = user.get("/api/v1/chats/" + chat + "/messages").expect(200);
                List<String> ids = new ArrayList<>();
                window.at("/items").forEach(item -> ids.add(item.get("id").asString()));
                assertThat(ids).isEqualTo(branch);
                assertThat(window.text("/items/5/content")).isEqualTo("line 5 — ünïcode ✓");
                assertThat(window.at("/items/5/siblings").toString()).contains(otherBranch);
                assertThat(user.get("/api/v1/chats/" + chat + "/tree").expect(200).at("/messages").size()).isEqualTo(7);
                assertThat(user.get("/api/v1/chats").expect(200).text("/items/0/title")).isEqualTo("keep me");
            } finally {
                restarted.close();
            }
        }
    }
}
