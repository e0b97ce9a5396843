package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryVectorIndexTest {

    private static float[] direction(double angle) {
        return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
    }

    @Test
    void nearestIsBestFirstAndTheScopeFiltersBeforeTheTopK() {
        MemoryVectorIndex.OwnerVectors vectors = new MemoryVectorIndex.OwnerVectors(2);
        UUID wanted = UUID.randomUUID();
        UUID chat = UUID.randomUUID();
        for (int i = 0; i < 200; i++) { // many close file vectors
            vectors.add(UUID.randomUUID(), SourceKind.FILE, UUID.randomUUID(), null, direction(i * 0.001));
        }
        UUID far = UUID.randomUUID(), farther = UUID.randomUUID();
        vectors.add(far, SourceKind.MESSAGE, UUID.randomUUID(), chat, direction(1.0));
        vectors.add(farther, SourceKind.MESSAGE, UUID.randomUUID(), chat, direction(2.0));
        vectors.add(wanted, SourceKind.FILE, wanted, null, direction(0.5));

        List<Scored> memory = vectors.nearest(direction(0), new Scope(false, null, true, List.of(chat)).predicate(), 5);
        List<Scored> oneFile = vectors.nearest(direction(0), new Scope(true, List.of(wanted), false, null).predicate(), 5);
        List<Scored> all = vectors.nearest(direction(0), new Scope(true, null, true, null).predicate(), 3);

        assertThat(memory).extracting(Scored::chunkId).containsExactly(far, farther);
        assertThat(oneFile).extracting(Scored::chunkId).containsExactly(wanted);
        assertThat(all).hasSize(3).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        assertThat(all.getFirst().score()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void anInvalidatedOwnerIsLoadedAgainAndALoadOverlappingAChangeIsNotKept() {
        MemoryVectorIndex index = new MemoryVectorIndex();
        UUID owner = UUID.randomUUID();
        Scope all = new Scope(true, null, true, null);
        AtomicInteger loads = new AtomicInteger();

        index.nearest(owner, direction(0), all, 1, () -> {
            loads.incrementAndGet();
            return new MemoryVectorIndex.OwnerVectors(2);
        });
        index.nearest(owner, direction(0), all, 1, () -> { throw new AssertionError("cached"); });
        index.invalidate(owner);
        index.nearest(owner, direction(0), all, 1, () -> {
            loads.incrementAndGet();
            index.invalidate(owner); // a write commits while this load reads
            return new MemoryVectorIndex.OwnerVectors(2);
        });
        index.nearest(owner, direction(0), all, 1, () -> {
            loads.incrementAndGet();
            return new MemoryVectorIndex.OwnerVectors(2);
        });

        assertThat(loads).hasValue(3);
    }
}
