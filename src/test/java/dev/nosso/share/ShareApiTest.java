package dev.nosso.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ApiClient.Response;
import dev.nosso.support.Eventually;
import dev.nosso.support.Script;
import dev.nosso.support.ScriptedUpstream;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Shared links over real HTTP on both databases: what a link shows (the shown branch with its citations, and
 * nothing else of the chat or its owner), who may open it as the administrator chose, updating it under the
 * same URL, revoking it, and continuing it as a chat of one's own.
 */
class ShareApiTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.openai.base-url", upstream.openAiBaseUrl().toString(),
                "nosso.generation.titles", "false");
    }

    @AfterAll
    void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
        upstream.models("m1");
    }

    private void linksFor(String who) {
        assertThat(server.admin().patch("/api/v1/admin/sharing", Map.of("links", who)).expect(200).text("/links"))
                .isEqualTo(who);
    }

    /** Sends a question answered with {@code reply} and waits for the answer's end; returns the 202's body. */
    private Response ask(ApiClient client, String chat, String question, String reply, Map<String, Object> extra) {
        upstream.reply("m1", Script.tokens(reply));
        Map<String, Object> body = new java.util.HashMap<>(Map.of("content", question, "model", "m1"));
        body.putAll(extra);
        Response sent = client.post("/api/v1/chats/" + chat + "/messages", body).expect(202);
        try (SseStream stream = client.stream(sent.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }
        return sent;
    }

    private static String newChat(ApiClient client) {
        return client.post("/api/v1/chats", Map.of("title", "Lighthouse notes")).expect(201).text("/id");
    }

    private static String email(ApiClient client) {
        return client.get("/api/v1/auth/me").expect(200).text("/email");
    }

    @Test
    void aLinkShowsTheShownBranchWithItsCitationsAndNothingOfTheOwner() throws Exception {
        linksFor("anyone");
        ApiClient alice = server.newUser();
        String file = alice.upload("/api/v1/files", "lighthouse.txt", "text/plain",
                "The lighthouse on Gull Island is kept by Ada Lovelace since 1843.".getBytes(StandardCharsets.UTF_8),
                Map.of()).expect(201).text("/id");
        JsonNode ready = Eventually.within(WAIT).until(() -> alice.get("/api/v1/files/" + file).expect(200).json(),
                f -> !List.of("pending", "processing").contains(f.path("status").asString()));
        assertThat(ready.path("status").asString()).isEqualTo("ready");
        String collection = alice.post("/api/v1/collections", Map.of("name", "islands")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(file))).expect(200);
        String chat = newChat(alice);
        Response first = ask(alice, chat, "Who keeps the lighthouse on Gull Island?", "A discarded ALPHA-7 answer.",
                Map.of());
        upstream.reply("m1", Script.tokens("The keeper is Ada [1]."));
        Response again = alice.post("/api/v1/messages/" + first.text("/assistantMessage/id") + "/regenerate",
                Map.of("collectionIds", List.of(collection))).expect(202);
        try (SseStream stream = alice.stream(again.text("/streamUrl"))) {
            stream.untilEnd(WAIT);
        }

        Response shared = alice.put("/api/v1/chats/" + chat + "/share", null).expect(201);
        String token = shared.text("/token");
        assertThat(token).hasSizeGreaterThanOrEqualTo(43).matches("[A-Za-z0-9_-]+");
        assertThat(shared.text("/path")).isEqualTo("/s/" + token);
        assertThat(shared.text("/access")).isEqualTo("anyone");

        Response view = server.anonymous().get("/api/v1/shared/" + token).expect(200);
        assertThat(view.text("/title")).isEqualTo("Lighthouse notes");
        assertThat(view.json().path("messages")).hasSize(2);
        assertThat(view.text("/messages/0/content")).isEqualTo("Who keeps the lighthouse on Gull Island?");
        assertThat(view.text("/messages/1/content")).isEqualTo("The keeper is Ada [1].");
        assertThat(view.text("/messages/1/sources/0/sourceName")).isEqualTo("lighthouse.txt");
        assertThat(view.text("/messages/1/sources/0/text")).contains("Ada Lovelace");
        assertThat(view.json().path("canContinue").asBoolean()).isFalse();
        assertThat(view.body()).doesNotContain("ALPHA-7", email(alice), file, chat, collection,
                first.text("/assistantMessage/id"));
        assertThat(view.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(view.headers().firstValue("X-Robots-Tag")).contains("noindex, nofollow");

        Response page = server.anonymous().getAny("/s/" + token).expect(200);
        assertThat(page.body()).contains("<div id=\"app\">");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Robots-Tag")).contains("noindex, nofollow");
    }

    @Test
    void whoMayOpenALinkIsTheAdministratorsChoice() {
        ApiClient alice = server.newUser();
        String chat = newChat(alice);
        ask(alice, chat, "Hello?", "Hello there.", Map.of());
        String token = alice.put("/api/v1/chats/" + chat + "/share", null).expect(201).text("/token");
        ApiClient bob = server.newUser();

        linksFor("signed-in");
        assertThat(alice.get("/api/v1/chats/" + chat + "/share").expect(200).text("/access")).isEqualTo("signed-in");
        server.anonymous().get("/api/v1/shared/" + token).expectProblem(401, "sign-in-to-view");
        Response seen = bob.get("/api/v1/shared/" + token).expect(200);
        assertThat(seen.text("/messages/1/content")).isEqualTo("Hello there.");
        assertThat(seen.json().path("canContinue").asBoolean()).isTrue();
        server.anonymous().getAny("/s/" + token).expect(200); // the page itself says why, after asking the API

        linksFor("anyone");
        assertThat(server.anonymous().get("/api/v1/shared/" + token).expect(200).text("/messages/1/content"))
                .isEqualTo("Hello there.");
        assertThat(bob.get("/api/v1/shared/" + token).expect(200).json().path("canContinue").asBoolean()).isTrue();

        bob.patch("/api/v1/admin/sharing", Map.of("links", "signed-in")).expect(403);
        server.admin().patch("/api/v1/admin/sharing", Map.of("links", "everyone")).expectProblem(400, "validation");
        assertThat(server.admin().get("/api/v1/admin/sharing").expect(200).text("/links")).isEqualTo("anyone");
        linksFor("signed-in");
        server.anonymous().get("/api/v1/shared/" + token).expectProblem(401, "sign-in-to-view");
    }

    @Test
    void updatingKeepsTheLinkAndShowsTheBranchAsItIsNow() {
        linksFor("signed-in");
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String chat = newChat(alice);
        ask(alice, chat, "First question", "First answer.", Map.of());
        Response created = alice.put("/api/v1/chats/" + chat + "/share", null).expect(201);
        String token = created.text("/token");
        ask(alice, chat, "Second question", "Second answer.", Map.of());
        assertThat(bob.get("/api/v1/shared/" + token).expect(200).json().path("messages")).hasSize(2);

        Response updated = alice.put("/api/v1/chats/" + chat + "/share", null).expect(200);

        assertThat(updated.text("/token")).isEqualTo(token);
        assertThat(updated.text("/createdAt")).isEqualTo(created.text("/createdAt"));
        JsonNode view = bob.get("/api/v1/shared/" + token).expect(200).json();
        assertThat(view.path("messages")).hasSize(4);
        assertThat(view.at("/messages/3/content").asString()).isEqualTo("Second answer.");
        assertThat(alice.get("/api/v1/chats/" + chat + "/share").expect(200).text("/token")).isEqualTo(token);
    }

    @Test
    void aRevokedLinkIsNotFoundAndOnlyTheOwnerSharesOrRevokes() {
        linksFor("anyone");
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String chat = newChat(alice);
        ask(alice, chat, "Hi", "Hi back.", Map.of());
        String token = alice.put("/api/v1/chats/" + chat + "/share", null).expect(201).text("/token");

        bob.put("/api/v1/chats/" + chat + "/share", null).expectProblem(404, "chat-not-found");
        bob.get("/api/v1/chats/" + chat + "/share").expectProblem(404, "share-not-found");
        bob.delete("/api/v1/chats/" + chat + "/share").expectProblem(404, "share-not-found");
        server.anonymous().get("/api/v1/shared/" + token).expect(200);

        alice.delete("/api/v1/chats/" + chat + "/share").expect(204);

        server.anonymous().get("/api/v1/shared/" + token).expectProblem(404, "share-not-found");
        bob.get("/api/v1/shared/" + token).expectProblem(404, "share-not-found");
        bob.post("/api/v1/shared/" + token + "/copy", Map.of()).expectProblem(404, "share-not-found");
        alice.get("/api/v1/chats/" + chat + "/share").expectProblem(404, "share-not-found");
        alice.delete("/api/v1/chats/" + chat + "/share").expectProblem(404, "share-not-found");
        String again = alice.put("/api/v1/chats/" + chat + "/share", null).expect(201).text("/token");
        assertThat(again).isNotEqualTo(token);
        server.anonymous().get("/api/v1/shared/" + token).expectProblem(404, "share-not-found");
        server.anonymous().get("/api/v1/shared/not-a-token").expectProblem(404, "share-not-found");

        alice.delete("/api/v1/chats/" + chat).expect(204);
        server.anonymous().get("/api/v1/shared/" + again).expectProblem(404, "share-not-found");
    }

    @Test
    void continuingCopiesTheSharedChatIntoTheViewersOwnChats() {
        linksFor("anyone");
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String chat = newChat(alice);
        ask(alice, chat, "What is two and two?", "Four.", Map.of());
        String token = alice.put("/api/v1/chats/" + chat + "/share", null).expect(201).text("/token");

        server.anonymous().post("/api/v1/shared/" + token + "/copy", Map.of()).expect(401);
        Response copied = bob.post("/api/v1/shared/" + token + "/copy", Map.of()).expect(201);

        String copy = copied.text("/id");
        assertThat(copy).isNotEqualTo(chat);
        assertThat(copied.text("/title")).isEqualTo("Lighthouse notes");
        assertThat(copied.json().path("messageCount").asInt()).isEqualTo(2);
        alice.get("/api/v1/chats/" + copy).expectProblem(404, "chat-not-found");
        JsonNode messages = bob.get("/api/v1/chats/" + copy + "/messages").expect(200).json().path("items");
        assertThat(messages).hasSize(2);
        assertThat(messages.at("/0/content").asString()).isEqualTo("What is two and two?");
        assertThat(messages.at("/1/content").asString()).isEqualTo("Four.");
        assertThat(bob.get("/api/v1/chats?limit=200").expect(200).json().path("items").toString()).contains(copy);

        ask(bob, copy, "And three and three?", "Six.", Map.of());
        assertThat(upstream.lastChat().json().path("messages").toString()).contains("What is two and two?", "Four.");
        assertThat(bob.get("/api/v1/chats/" + copy).expect(200).json().path("messageCount").asInt()).isEqualTo(4);
        assertThat(alice.get("/api/v1/chats/" + chat).expect(200).json().path("messageCount").asInt()).isEqualTo(2);
    }
}
