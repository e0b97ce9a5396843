package dev.nosso.retrieval;

import java.util.UUID;

/** A chunk id with its score in one ranked list (higher is better). */
record Scored(UUID chunkId, double score) {
}
