package dev.nosso.retrieval;

import java.util.List;

/** Turns texts into unit-length vectors. One model per running server; its id is stored with each vector. */
interface Embedder {

    /** Stored per chunk; search compares only vectors of the same id. */
    String modelId();

    /** Passages to store. */
    List<float[]> embed(List<String> texts);

    /** A search query, phrased as the model expects queries to be. */
    float[] embedQuery(String query);
}
