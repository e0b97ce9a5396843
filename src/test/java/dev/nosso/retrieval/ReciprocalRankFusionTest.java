package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

    private static final UUID A = new UUID(0, 1), B = new UUID(0, 2), C = new UUID(0, 3), D = new UUID(0, 4);

    private static List<Scored> ranked(UUID... ids) {
        return java.util.Arrays.stream(ids).map(id -> new Scored(id, 0)).toList();
    }

    @Test
    void aChunkInBothListsBeatsOneInOnlyOne() {
        List<Scored> fused = ReciprocalRankFusion.fuse(ranked(A, B), 1, ranked(C, B), 1, 60, 10);

        assertThat(fused).extracting(Scored::chunkId).containsExactly(B, A, C);
        assertThat(fused.getFirst().score()).isEqualTo(1.0 / 62 + 1.0 / 62);
    }

    @Test
    void theHeavierListWinsBetweenTwoChunksOfEqualRank() {
        List<Scored> fused = ReciprocalRankFusion.fuse(ranked(A), 2, ranked(C), 1, 60, 10);

        assertThat(fused).extracting(Scored::chunkId).containsExactly(A, C);
    }

    @Test
    void aZeroWeightLeavesTheOtherListsOrderAlone() {
        List<Scored> fused = ReciprocalRankFusion.fuse(ranked(A, B, C), 1, ranked(C, B, D), 0, 60, 10);

        assertThat(fused).extracting(Scored::chunkId).startsWith(A, B, C);
    }

    @Test
    void equalScoresKeepTheBetterRankFirstAndTheLimitHolds() {
        List<Scored> fused = ReciprocalRankFusion.fuse(ranked(A, B), 1, ranked(C, D), 1, 60, 3);

        assertThat(fused).extracting(Scored::chunkId).containsExactly(A, C, B);
    }

    @Test
    void emptyListsFuseToNothing() {
        assertThat(ReciprocalRankFusion.fuse(List.of(), 1, List.of(), 1, 60, 10)).isEmpty();
    }
}
