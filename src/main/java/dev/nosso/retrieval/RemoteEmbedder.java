package dev.nosso.retrieval;

import dev.nosso.provider.ProviderFailure;
import dev.nosso.provider.RemoteEmbeddings;
import java.util.ArrayList;
import java.util.List;

/**
 * A model on an Ollama or OpenAI-compatible server. Its id names the protocol too ({@code ollama:nomic-embed-text}),
 * so switching servers for a model of the same name still re-embeds. The vector length is configured or
 * learned from the first answer; a model that changes it later is refused rather than mixed in.
 */
final class RemoteEmbedder implements Embedder {

    private final String id;
    private final RemoteEmbeddings client;
    private final String queryPrefix;
    private final String passagePrefix;
    private volatile int dimensions;

    RemoteEmbedder(String id, RemoteEmbeddings client, int dimensions, String queryPrefix, String passagePrefix) {
        this.id = id;
        this.client = client;
        this.dimensions = dimensions;
        this.queryPrefix = queryPrefix == null ? "" : queryPrefix;
        this.passagePrefix = passagePrefix == null ? "" : passagePrefix;
    }

    @Override
    public String modelId() {
        return id;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (passagePrefix.isEmpty()) {
            return call(texts);
        }
        return call(texts.stream().map(t -> passagePrefix + t).toList());
    }

    @Override
    public float[] embedQuery(String query) {
        return call(List.of(queryPrefix + query)).getFirst();
    }

    private List<float[]> call(List<String> texts) {
        List<float[]> raw = client.embed(texts);
        List<float[]> vectors = new ArrayList<>(raw.size());
        for (float[] v : raw) {
            if (dimensions == 0) {
                dimensions = v.length;
            }
            if (v.length != dimensions) {
                throw new ProviderFailure("The embedding model " + id + " answered a vector of " + v.length
                        + " numbers where " + dimensions + " were expected (nosso.retrieval.embedding-dimensions).");
            }
            vectors.add(Vectors.normalised(v));
        }
        return vectors;
    }
}
