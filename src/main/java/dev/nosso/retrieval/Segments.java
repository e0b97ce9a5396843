package dev.nosso.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * An owner's vectors as held at one moment: immutable, replaced whole by each change. Loading 100,000 vectors
 * takes more than a second, so a committed change does not drop them: a source's new chunks become a small
 * segment of their own, and deleted sources, chats or kinds are masked in the older segments.
 */
record Segments(List<Segment> segments) {

    /** A segment of vectors with what has been deleted from it since it was built. */
    record Segment(OwnerVectors vectors, Mask mask) {
    }

    static Segments of(OwnerVectors loaded) {
        return new Segments(List.of(new Segment(loaded, Mask.NONE)));
    }

    int count() {
        return segments.size();
    }

    long bytes() {
        return segments.stream().mapToLong(s -> s.vectors().bytes()).sum();
    }

    Segments masking(Mask mask) {
        return new Segments(segments.stream().map(s -> new Segment(s.vectors(), s.mask().and(mask))).toList());
    }

    Segments adding(OwnerVectors added) {
        if (added.size() == 0) {
            return this;
        }
        List<Segment> more = new ArrayList<>(segments);
        more.add(new Segment(added, Mask.NONE));
        return new Segments(List.copyOf(more));
    }

    /** The best {@code limit} admitted vectors that no mask hides, best first. */
    List<Scored> nearest(float[] query, Scope.Predicate admits, int limit) {
        if (segments.size() == 1 && segments.getFirst().mask().isEmpty()) {
            return segments.getFirst().vectors().nearest(query, admits, limit);
        }
        List<Scored> all = new ArrayList<>();
        for (Segment segment : segments) {
            Mask mask = segment.mask();
            Scope.Predicate live = mask.isEmpty() ? admits
                    : (kind, sourceId, chatId) -> !mask.hides(kind, sourceId, chatId)
                            && admits.admits(kind, sourceId, chatId);
            all.addAll(segment.vectors().nearest(query, live, limit));
        }
        all.sort((a, b) -> Double.compare(b.score(), a.score()));
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }
}
