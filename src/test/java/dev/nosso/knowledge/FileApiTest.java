package dev.nosso.knowledge;

import static dev.nosso.knowledge.Ingestion.awaitEnd;
import static dev.nosso.knowledge.Ingestion.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import dev.nosso.support.SseStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Uploading files: each supported kind is read and ends ready, bad files get a clear answer, bytes are kept once
 * (in the default store: the folder on SQLite, the database on PostgreSQL).
 */
class FileApiTest extends ServerTest {

    static final Duration INGESTION = Duration.ofSeconds(60);

    @Override
    protected Map<String, Object> settings() {
        return Map.of("nosso.knowledge.max-file-bytes", "200000");
    }

    @Test
    void everySupportedKindOfFileIsReadAndEndsReady() {
        ApiClient alice = server.newUser();
        record Case(String name, String declared, byte[] bytes, String mediaType, String word) {
        }
        List<Case> cases = List.of(
                new Case("report.pdf", "application/pdf", Documents.pdf("Quarterly report", "The owl sleeps at noon."), "application/pdf", "owl"),
                new Case("notes.docx", "application/octet-stream", Documents.docx("Meeting notes", "The heron fishes at dawn."),
                        FileTypes.DOCX, "heron"),
                new Case("page.html", "text/html", Documents.html("Garden", "The fox digs at dusk."), "text/html", "fox"),
                new Case("readme.md", "text/markdown", Documents.markdown("Setup", "The badger naps at night."), "text/markdown", "badger"),
                new Case("plain.txt", "text/plain", Documents.text("The otter swims at sunrise."), "text/plain", "otter"));

        for (Case c : cases) {
            ApiClient.Response created = upload(alice, c.name(), c.declared(), c.bytes()).expect(201);
            assertThat(created.text("/name")).isEqualTo(c.name());
            assertThat(created.text("/mediaType")).as(c.name()).isEqualTo(c.mediaType());
            assertThat(created.at("/size").asLong()).isEqualTo(c.bytes().length);
            assertThat(created.text("/jobId")).isNotBlank();
            JsonNode file = awaitEnd(alice, created.text("/id"), INGESTION);
            assertThat(file.path("status").asString()).as(c.name() + ": " + file).isEqualTo("ready");
            JsonNode job = alice.get("/api/v1/jobs/" + created.text("/jobId")).expect(200).json();
            assertThat(job.path("state").asString()).isEqualTo("done");
            assertThat(job.path("kind").asString()).isEqualTo("ingest-file");
            assertThat(job.path("total").asInt()).isPositive();
            assertThat(job.path("done").asInt()).isEqualTo(job.path("total").asInt());
            // Searchable now, by its own words.
            JsonNode results = alice.post("/api/v1/search", Map.of("query", c.word(), "mode", "keyword",
                    "memory", false)).expect(200).at("/results");
            assertThat(results.findValuesAsString("sourceId")).as(c.name()).containsExactly(created.text("/id"));
        }
        assertThat(alice.get("/api/v1/files").expect(200).at("/items").size()).isEqualTo(cases.size());
    }

    @Test
    void theJobCanBeFollowedAsServerSentEventsToItsEnd() {
        ApiClient alice = server.newUser();
        String jobId = upload(alice, "follow.md", "text/markdown", Documents.markdown("Follow", "Events to the end."))
                .expect(201).text("/jobId");

        try (SseStream events = alice.stream("/api/v1/jobs/" + jobId + "/events")) {
            List<SseStream.Event> all = events.untilEnd(INGESTION);
            assertThat(all).isNotEmpty();
            assertThat(all.getFirst().name()).isEqualTo("progress");
            SseStream.Event last = all.getLast();
            assertThat(last.name()).isEqualTo("done");
            assertThat(last.data().path("state").asString()).isEqualTo("done");
            assertThat(last.data().path("id").asString()).isEqualTo(jobId);
        }
    }

    @Test
    void theSameBytesUploadedTwiceAreOneFileAndItsContentComesBackAsUploaded() {
        ApiClient alice = server.newUser();
        byte[] bytes = Documents.pdf("Dedupe", "Stored once.");
        String id = upload(alice, "once.pdf", "application/pdf", bytes).expect(201).text("/id");

        ApiClient.Response again = upload(alice, "again.pdf", "application/pdf", bytes).expect(200);

        assertThat(again.text("/id")).isEqualTo(id);
        assertThat(again.text("/name")).isEqualTo("once.pdf");
        HttpResponse<byte[]> content = alice.download("/api/v1/files/" + id + "/content");
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(bytes);
        assertThat(content.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(content.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment").contains("once.pdf");
        // Another user's copy of the same bytes is their own file, stored once.
        ApiClient bob = server.newUser();
        String bobs = upload(bob, "mine.pdf", "application/pdf", bytes).expect(201).text("/id");
        assertThat(bobs).isNotEqualTo(id);
        assertThat(keyOf(bobs, bob)).isEqualTo(keyOf(id, alice));
        assertThat(stored().has(keyOf(bobs, bob))).isTrue();
        // Alice deleting hers leaves the bytes Bob's file still needs.
        alice.delete("/api/v1/files/" + id).expect(204);
        assertThat(stored().has(keyOf(bobs, bob))).isTrue();
        assertThat(bob.download("/api/v1/files/" + bobs + "/content").body()).isEqualTo(bytes);
    }

    @Test
    void filesOverTheLimitOfUnsupportedOrMislabelledTypeOrEmptyAreRefusedClearly() {
        ApiClient alice = server.newUser();
        int blobsBefore = stored().count();

        upload(alice, "big.txt", "text/plain", Documents.text("a".repeat(200_001))).expectProblem(413, "file-too-large");
        upload(alice, "huge.txt", "text/plain", Documents.text("a".repeat(400_000))).expectProblem(413, "file-too-large");
        // Only a PNG signature: an image is decoded before it is kept, and this one cannot be.
        upload(alice, "image.png", "image/png", Documents.png()).expectProblem(400, "malformed-image");
        upload(alice, "fake.pdf", "application/pdf", Documents.text("I am only text.")).expectProblem(415,
                "file-type-mismatch");
        upload(alice, "fake.txt", "text/plain", Documents.pdf("A PDF in disguise")).expectProblem(415,
                "file-type-mismatch");
        upload(alice, "empty.txt", "text/plain", new byte[0]).expectProblem(422, "empty-file");
        alice.post("/api/v1/files", Map.of("file", "not multipart")).expect(415);

        assertThat(alice.get("/api/v1/files").expect(200).at("/items").size()).isZero();
        assertThat(stored().count()).isEqualTo(blobsBefore);
    }

    @Test
    void aFileThatCannotBeParsedFailsWithTheReasonAndItsJobToo() {
        ApiClient alice = server.newUser();
        byte[] broken = Documents.text("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage with no pages and no trailer");
        ApiClient.Response created = upload(alice, "broken.pdf", "application/pdf", broken).expect(201);

        JsonNode file = awaitEnd(alice, created.text("/id"), INGESTION);

        assertThat(file.path("status").asString()).isEqualTo("failed");
        assertThat(file.path("error").asString()).isNotBlank();
        JsonNode job = alice.get("/api/v1/jobs/" + created.text("/jobId")).expect(200).json();
        assertThat(job.path("state").asString()).isEqualTo("failed");
        assertThat(job.path("error").asString()).isEqualTo(file.path("error").asString());
    }

    @Test
    void deletingAFileRemovesItAndItsBytesWhenNoOneElseHasThem() {
        ApiClient alice = server.newUser();
        String id = upload(alice, "gone.md", "text/markdown", Documents.markdown("Gone", "Soon deleted."))
                .expect(201).text("/id");
        awaitEnd(alice, id, INGESTION);
        String key = keyOf(id, alice);
        assertThat(stored().has(key)).isTrue();

        alice.delete("/api/v1/files/" + id).expect(204);

        alice.get("/api/v1/files/" + id).expectProblem(404, "file-not-found");
        assertThat(alice.download("/api/v1/files/" + id + "/content").statusCode()).isEqualTo(404);
        alice.delete("/api/v1/files/" + id).expectProblem(404, "file-not-found");
        assertThat(stored().has(key)).isFalse();
        assertThat(alice.post("/api/v1/search", Map.of("query", "deleted", "mode", "keyword")).expect(200)
                .at("/results").size()).isZero();
    }

    @Test
    void aFileCanBeAttachedToOneOfTheUsersChatsAndOutlivesIt() {
        ApiClient alice = server.newUser();
        String chat = alice.post("/api/v1/chats", Map.of("title", "with a file")).expect(201).text("/id");

        String id = alice.upload("/api/v1/files", "brief.md", "text/markdown", Documents.markdown("Brief", "For this chat."),
                Map.of("chatId", chat)).expect(201).text("/id");

        assertThat(alice.get("/api/v1/files/" + id).expect(200).text("/chatId")).isEqualTo(chat);
        alice.delete("/api/v1/chats/" + chat).expect(204);
        assertThat(alice.get("/api/v1/files/" + id).expect(200).at("/chatId").isNull()).isTrue();
    }

    @Test
    void filesAreListedNewestFirstAPageAtATime() {
        ApiClient alice = server.newUser();
        String first = upload(alice, "1.txt", "text/plain", Documents.text("one")).expect(201).text("/id");
        String second = upload(alice, "2.txt", "text/plain", Documents.text("two")).expect(201).text("/id");
        String third = upload(alice, "3.txt", "text/plain", Documents.text("three")).expect(201).text("/id");

        ApiClient.Response page = alice.get("/api/v1/files?limit=2").expect(200);
        assertThat(page.text("/items/0/id")).isEqualTo(third);
        assertThat(page.text("/items/1/id")).isEqualTo(second);
        ApiClient.Response next = alice.get("/api/v1/files?limit=2&cursor=" + page.text("/nextCursor")).expect(200);
        assertThat(next.text("/items/0/id")).isEqualTo(first);
        assertThat(next.at("/items").size()).isEqualTo(1);
        assertThat(next.at("/nextCursor").isNull()).isTrue();
    }

    private static String keyOf(String id, ApiClient owner) {
        String sha = owner.get("/api/v1/files/" + id).expect(200).text("/sha256");
        return sha.substring(0, 2) + "/" + sha;
    }

    private StoredBytes stored() {
        return StoredBytes.byDefault(database);
    }
}
