package dev.nosso.retrieval;

import java.util.Set;
import java.util.UUID;

/**
 * A committed change of one owner's chunks, as it affects vectors held in memory: applied to what is held
 * rather than loading the owner again.
 */
sealed interface VectorChange {

    Segments applyTo(Segments held);

    /** The source's chunks were replaced by these (none when it was only deleted). */
    record Source(UUID sourceId, OwnerVectors added) implements VectorChange {
        public Segments applyTo(Segments held) {
            return held.masking(new Mask(Set.of(sourceId), Set.of(), Set.of())).adding(added);
        }
    }

    /** The messages of a chat were forgotten. */
    record Chat(UUID chatId) implements VectorChange {
        public Segments applyTo(Segments held) {
            return held.masking(new Mask(Set.of(), Set.of(chatId), Set.of()));
        }
    }

    /** Every chunk of a kind was forgotten (memory turned off). */
    record Kind(SourceKind kind) implements VectorChange {
        public Segments applyTo(Segments held) {
            return held.masking(new Mask(Set.of(), Set.of(), Set.of(kind)));
        }
    }
}
