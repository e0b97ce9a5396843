package dev.nosso.knowledge;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Uploading in tests, and waiting for a file's ingestion to end. */
final class Ingestion {

    private static final Set<String> ENDED = Set.of("ready", "failed");

    private Ingestion() {
    }

    static ApiClient.Response upload(ApiClient client, String name, String type, byte[] bytes) {
        return client.upload("/api/v1/files", name, type, bytes, Map.of());
    }

    /** Polls the file until it is ready or failed, and returns it. */
    static JsonNode awaitEnd(ApiClient client, String fileId, Duration timeout) {
        return Eventually.within(timeout).until(() -> client.get("/api/v1/files/" + fileId).expect(200).json(),
                file -> ENDED.contains(file.path("status").asString()));
    }
}
