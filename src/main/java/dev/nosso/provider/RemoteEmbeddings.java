package dev.nosso.provider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Embeddings computed by a model server: an OpenAI-compatible one ({@code POST {base}/embeddings}, where the
 * base URL ends in {@code /v1} as for chat) or Ollama ({@code POST {base}/api/embed}). Both take a batch of
 * texts in one request. Every fault is a {@link ProviderFailure} with a readable reason that never carries
 * the key.
 */
public final class RemoteEmbeddings {

    /** The wire protocol of the server. */
    public enum Protocol {
        OPENAI("embeddings"), OLLAMA("api/embed");

        private final String path;

        Protocol(String path) {
            this.path = path;
        }
    }

    private final Protocol protocol;
    private final Endpoint endpoint;
    private final String model;
    private final Duration timeout;
    private final ProviderHttp http;

    /**
     * @param apiKey  sent as a bearer token; null or blank for none
     * @param timeout for one whole batch, answer included
     */
    public RemoteEmbeddings(Protocol protocol, URI baseUrl, String apiKey, String model, Duration connectTimeout,
                            Duration timeout) {
        this.protocol = Objects.requireNonNull(protocol);
        this.endpoint = new Endpoint(Objects.requireNonNull(baseUrl), apiKey == null || apiKey.isBlank() ? null : apiKey);
        this.model = Objects.requireNonNull(model);
        this.timeout = timeout;
        this.http = new ProviderHttp(new ProviderTimeouts(connectTimeout, timeout, timeout));
    }

    /** One vector per text, in the order of the texts, as the model returns them (not normalised). */
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        ObjectNode body = ProviderHttp.JSON.createObjectNode().put("model", model);
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        JsonNode answer = http.post(endpoint, protocol.path, body, timeout);
        List<float[]> vectors = switch (protocol) {
            case OPENAI -> openAi(answer, texts.size());
            case OLLAMA -> vectors(answer.path("embeddings"));
        };
        if (vectors.size() != texts.size()) {
            throw new ProviderFailure("The embedding model " + model + " answered " + vectors.size()
                    + " vectors for " + texts.size() + " texts.");
        }
        return vectors;
    }

    // OpenAI lists {"index": i, "embedding": [...]}; the index, not the position, says which text it is.
    private List<float[]> openAi(JsonNode answer, int count) {
        float[][] byIndex = new float[count][];
        for (JsonNode item : answer.path("data")) {
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= count) {
                throw malformed();
            }
            byIndex[index] = vector(item.path("embedding"));
        }
        List<float[]> vectors = new ArrayList<>(count);
        for (float[] v : byIndex) {
            if (v != null) {
                vectors.add(v);
            }
        }
        return vectors;
    }

    private List<float[]> vectors(JsonNode list) {
        if (!list.isArray()) {
            throw malformed();
        }
        List<float[]> vectors = new ArrayList<>(list.size());
        for (JsonNode v : list) {
            vectors.add(vector(v));
        }
        return vectors;
    }

    private float[] vector(JsonNode numbers) {
        if (!numbers.isArray() || numbers.isEmpty()) {
            throw malformed();
        }
        float[] v = new float[numbers.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = numbers.get(i);
            if (!x.isNumber()) {
                throw malformed();
            }
            v[i] = x.floatValue();
        }
        return v;
    }

    private ProviderFailure malformed() {
        return new ProviderFailure("The embedding model " + model + " answered without the vectors expected of the " + protocol.name().toLowerCase(Locale.ROOT)
                + " protocol.");
    }

    @Override
    public String toString() {
        return "RemoteEmbeddings[" + protocol + " " + endpoint.baseUrl() + " " + model + "]";
    }
}
