package dev.nosso.retrieval;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** What a segment of held vectors no longer shows: chunks of these sources, chats or kinds, deleted since. */
record Mask(Set<UUID> sources, Set<UUID> chats, Set<SourceKind> kinds) {

    static final Mask NONE = new Mask(Set.of(), Set.of(), Set.of());

    boolean isEmpty() {
        return sources.isEmpty() && chats.isEmpty() && kinds.isEmpty();
    }

    boolean hides(SourceKind kind, UUID sourceId, UUID chatId) {
        return kinds.contains(kind) || sources.contains(sourceId) || (chatId != null && chats.contains(chatId));
    }

    Mask and(Mask more) {
        return new Mask(union(sources, more.sources), union(chats, more.chats), union(kinds, more.kinds));
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
