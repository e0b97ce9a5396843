package dev.nosso.knowledge;

import dev.nosso.support.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Uploading in tests, and waiting (with a deadline, never a fixed sleep) for a file's ingestion to end. */
final class Ingestion {

    private Ingestion() {
    }

    static ApiClient.Response upload(ApiClient client, String name, String type, byte[] bytes) {
        return client.upload("/api/v1/files", name, type, bytes, Map.of());
    }

    /** Polls the file until it is ready or failed, and returns it. */
    static JsonNode awaitEnd(ApiClient client, String fileId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode file = client.get("/api/v1/files/" + fileId).expect(200).json();
            String status = file.path("status").asString();
            if (status.equals("ready") || status.equals("failed")) {
                return file;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("file " + fileId + " still " + status + " after " + timeout + ": " + file);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
