package dev.nosso.transfer;

import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.JsonNode;

/** Importing in tests: fixtures, waiting for an import to end, and a chat's tree in a form two accounts share. */
final class Transfers {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<String> ENDED = Set.of("done", "failed");

    private Transfers() {
    }

    static byte[] fixture(String name) {
        try (InputStream in = Transfers.class.getResourceAsStream("/transfer/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads an export and waits for its import to end; returns the import as its owner reads it then. */
    static JsonNode importAndWait(ApiClient client, String name, byte[] bytes) {
        String id = client.upload("/api/v1/imports", name, "application/octet-stream", bytes, Map.of())
                .expect(202).text("/id");
        JsonNode ended = Eventually.within(WAIT).until(() -> client.get("/api/v1/imports/" + id).expect(200).json(),
                imported -> ENDED.contains(imported.path("status").asString()));
        // The import's row ends a moment before its job's: the job is closed once its handler has returned.
        Eventually.within(WAIT).until(() -> client.get("/api/v1/jobs/" + ended.path("jobId").asString()).expect(200)
                .json(), job -> ENDED.contains(job.path("state").asString()));
        return ended;
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Every chat of the client's, archived or not, by title. */
    static Map<String, JsonNode> chatsByTitle(ApiClient client) {
        Map<String, JsonNode> chats = new HashMap<>();
        for (String archived : List.of("false", "true")) {
            client.get("/api/v1/chats?limit=200&archived=" + archived).expect(200).at("/items")
                    .forEach(chat -> chats.put(chat.path("title").asString(), chat));
        }
        return chats;
    }

    /**
     * A chat's whole tree without its ids: each message's role, text, model, status, error, times and citations, its
     * children in order of time, and the texts along the branch shown. Equal for two chats exactly when they hold
     * the same tree.
     */
    static String shape(ApiClient client, String chatId) {
        JsonNode tree = client.get("/api/v1/chats/" + chatId + "/tree").expect(200).json();
        Map<String, JsonNode> byId = new HashMap<>();
        Map<String, List<JsonNode>> children = new HashMap<>();
        tree.path("messages").forEach(m -> {
            byId.put(m.path("id").asString(), m);
            children.computeIfAbsent(m.path("parentId").isNull() ? "" : m.path("parentId").asString(),
                    k -> new ArrayList<>()).add(m);
        });
        StringBuilder out = new StringBuilder();
        write(out, "", children, 0);
        out.append("shown:");
        List<String> branch = new ArrayList<>();
        for (JsonNode m = byId.get(tree.path("activeLeafId").asString()); m != null;
             m = byId.get(m.path("parentId").asString())) {
            branch.addFirst(m.path("content").asString());
        }
        return out.append(branch).toString();
    }

    private static void write(StringBuilder out, String parent, Map<String, List<JsonNode>> children, int depth) {
        List<JsonNode> kids = new ArrayList<>(children.getOrDefault(parent, List.of()));
        kids.sort(Comparator.comparing((JsonNode m) -> m.path("createdAt").asString())
                .thenComparing(m -> m.path("content").asString()));
        for (JsonNode m : kids) {
            out.append("  ".repeat(depth)).append(m.path("role").asString()).append(" | ")
                    .append(m.path("content").asString()).append(" | ").append(m.path("model").asString(""))
                    .append(" | ").append(m.path("status").asString()).append(" | ").append(m.path("error").asString(""))
                    .append(" | ").append(m.path("createdAt").asString()).append(" | ")
                    .append(m.path("updatedAt").asString()).append(" | ").append(m.path("sources").toString())
                    .append('\n');
            write(out, m.path("id").asString(), children, depth + 1);
        }
    }
}
