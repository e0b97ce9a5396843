package dev.nosso.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Weighted reciprocal rank fusion: a chunk scores {@code w / (k + rank)} in each list it appears in (rank
 * from 1), summed. Equal weights let a weak list pull good results down (measured on question-style data:
 * hybrid below vectors alone), so each list has its own weight, chosen on the dev set (bench/README.md).
 */
final class ReciprocalRankFusion {

    private ReciprocalRankFusion() {
    }

    static List<Scored> fuse(List<Scored> vector, double vectorWeight, List<Scored> keyword, double keywordWeight,
                             int k, int limit) {
        Map<UUID, double[]> scores = new LinkedHashMap<>(); // [fused score, best rank] for a stable order on ties
        add(scores, vector, vectorWeight, k);
        add(scores, keyword, keywordWeight, k);
        List<Map.Entry<UUID, double[]>> entries = new ArrayList<>(scores.entrySet());
        entries.sort(Comparator.<Map.Entry<UUID, double[]>>comparingDouble(e -> -e.getValue()[0])
                .thenComparingDouble(e -> e.getValue()[1]));
        List<Scored> fused = new ArrayList<>(Math.min(limit, entries.size()));
        for (int i = 0; i < entries.size() && i < limit; i++) {
            fused.add(new Scored(entries.get(i).getKey(), entries.get(i).getValue()[0]));
        }
        return fused;
    }

    private static void add(Map<UUID, double[]> scores, List<Scored> list, double weight, int k) {
        for (int i = 0; i < list.size(); i++) {
            int rank = i + 1;
            double[] s = scores.computeIfAbsent(list.get(i).chunkId(), id -> new double[] {0, Double.MAX_VALUE});
            s[0] += weight / (k + rank);
            s[1] = Math.min(s[1], rank);
        }
    }
}
