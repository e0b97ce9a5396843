package dev.nosso.knowledge;

import static dev.nosso.knowledge.Ingestion.awaitEnd;
import static dev.nosso.knowledge.Ingestion.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.support.ApiClient;
import dev.nosso.support.ServerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/** Collections: made, renamed, filled, emptied and deleted, with their files' statuses; and what search may read. */
class CollectionApiTest extends ServerTest {

    @Test
    void aCollectionIsMadeFilledRenamedEmptiedAndDeletedWhileItsFilesStay() {
        ApiClient alice = server.newUser();
        String one = upload(alice, "one.md", "text/markdown", Documents.markdown("One", "First file.")).expect(201).text("/id");
        String two = upload(alice, "two.md", "text/markdown", Documents.markdown("Two", "Second file.")).expect(201).text("/id");
        awaitEnd(alice, one, Duration.ofSeconds(60));

        ApiClient.Response created = alice.post("/api/v1/collections", Map.of("name", "Research", "description", "papers"))
                .expect(201);
        String id = created.text("/id");
        assertThat(created.text("/name")).isEqualTo("Research");
        assertThat(created.at("/fileCount").asInt()).isZero();

        ApiClient.Response filled = alice.post("/api/v1/collections/" + id + "/files", Map.of("fileIds", List.of(one, two)))
                .expect(200);
        assertThat(filled.at("/files").size()).isEqualTo(2);
        alice.post("/api/v1/collections/" + id + "/files", Map.of("fileIds", List.of(one))).expect(200); // again: no-op
        ApiClient.Response read = alice.get("/api/v1/collections/" + id).expect(200);
        assertThat(read.at("/fileCount").asInt()).isEqualTo(2);
        assertThat(read.json().path("files").findValuesAsString("id")).containsExactlyInAnyOrder(one, two);
        assertThat(read.json().path("files").findValuesAsString("status")).allMatch(
                s -> List.of("pending", "processing", "ready").contains(s));

        ApiClient.Response renamed = alice.patch("/api/v1/collections/" + id, Map.of("name", "Reading")).expect(200);
        assertThat(renamed.text("/name")).isEqualTo("Reading");
        assertThat(renamed.text("/description")).isEqualTo("papers");
        alice.patch("/api/v1/collections/" + id, Map.of("name", " ")).expectProblem(400, "validation");

        alice.delete("/api/v1/collections/" + id + "/files/" + two).expect(204);
        alice.delete("/api/v1/collections/" + id + "/files/" + two).expectProblem(404, "file-not-found");
        assertThat(alice.get("/api/v1/collections/" + id).expect(200).at("/fileCount").asInt()).isEqualTo(1);
        assertThat(alice.get("/api/v1/collections").expect(200).json().size()).isEqualTo(1);

        alice.delete("/api/v1/collections/" + id).expect(204);
        alice.get("/api/v1/collections/" + id).expectProblem(404, "collection-not-found");
        alice.get("/api/v1/files/" + one).expect(200);
        alice.get("/api/v1/files/" + two).expect(200);
    }

    @Test
    void anUploadCanGoStraightIntoACollectionAndDeletingTheFileTakesItOut() {
        ApiClient alice = server.newUser();
        String id = alice.post("/api/v1/collections", Map.of("name", "Inbox")).expect(201).text("/id");

        String file = alice.upload("/api/v1/files", "in.txt", "text/plain", Documents.text("Straight in."),
                Map.of("collectionId", id)).expect(201).text("/id");

        assertThat(alice.get("/api/v1/collections/" + id).expect(200).text("/files/0/id")).isEqualTo(file);
        alice.delete("/api/v1/files/" + file).expect(204);
        assertThat(alice.get("/api/v1/collections/" + id).expect(200).at("/fileCount").asInt()).isZero();
        alice.upload("/api/v1/files", "x.txt", "text/plain", Documents.text("x"), Map.of("collectionId", UUID.randomUUID().toString()))
                .expectProblem(404, "collection-not-found");
    }

    @Test
    void fileIdsOfGivesTheOwnersFilesThroughCollectionsAndRefusesAnyoneElses() {
        ApiClient alice = server.newUser();
        ApiClient bob = server.newUser();
        String a1 = upload(alice, "a1.txt", "text/plain", Documents.text("a1")).expect(201).text("/id");
        String a2 = upload(alice, "a2.txt", "text/plain", Documents.text("a2")).expect(201).text("/id");
        String b1 = upload(bob, "b1.txt", "text/plain", Documents.text("b1")).expect(201).text("/id");
        String collection = alice.post("/api/v1/collections", Map.of("name", "Mine")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(a1))).expect(200);
        String bobsCollection = bob.post("/api/v1/collections", Map.of("name", "Bob's")).expect(201).text("/id");
        UUID aliceId = UUID.fromString(alice.get("/api/v1/auth/me").expect(200).text("/id"));
        Knowledge knowledge = server.context().getBean(Knowledge.class);

        assertThat(knowledge.fileIdsOf(aliceId, List.of(UUID.fromString(collection)), List.of(UUID.fromString(a2))))
                .containsExactlyInAnyOrder(UUID.fromString(a1), UUID.fromString(a2));
        assertThat(knowledge.fileIdsOf(aliceId, List.of(), null)).isEmpty();
        assertThatThrownBy(() -> knowledge.fileIdsOf(aliceId, List.of(UUID.fromString(bobsCollection)), List.of()))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.getBody().getType().toString()).endsWith("collection-not-found"));
        assertThatThrownBy(() -> knowledge.fileIdsOf(aliceId, List.of(), List.of(UUID.fromString(b1))))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.getBody().getType().toString()).endsWith("file-not-found"));
    }

    @Test
    void aSearchNamingACollectionReadsOnlyItsFiles() {
        ApiClient alice = server.newUser();
        String inside = upload(alice, "inside.txt", "text/plain",
                Documents.text("Lighthouses guide ships along the rocky coast at night.")).expect(201).text("/id");
        String outside = upload(alice, "outside.txt", "text/plain",
                Documents.text("Lighthouses are also popular with photographers.")).expect(201).text("/id");
        Ingestion.awaitEnd(alice, inside, java.time.Duration.ofSeconds(60));
        Ingestion.awaitEnd(alice, outside, java.time.Duration.ofSeconds(60));
        String collection = alice.post("/api/v1/collections", Map.of("name", "coast")).expect(201).text("/id");
        alice.post("/api/v1/collections/" + collection + "/files", Map.of("fileIds", List.of(inside))).expect(200);

        var all = alice.post("/api/v1/search", Map.of("query", "lighthouses", "mode", "keyword")).expect(200);
        assertThat(all.at("/results").size()).isEqualTo(2);
        var scoped = alice.post("/api/v1/search", Map.of("query", "lighthouses", "mode", "keyword",
                "collectionIds", List.of(collection))).expect(200);
        assertThat(scoped.at("/results").size()).isEqualTo(1);
        assertThat(scoped.at("/results/0/sourceId").asString()).isEqualTo(inside);
        alice.post("/api/v1/search", Map.of("query", "lighthouses", "collectionIds", List.of(UUID.randomUUID())))
                .expectProblem(404, "collection-not-found");
    }
}
