package dev.nosso.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nosso.platform.cluster.ClusterEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * In-memory copies of what a turn reads of one user's own data and what rarely changes: a chat's settings,
 * the user's preferences. Any change to such data calls {@link #changed} with the user it belongs to, inside
 * the transaction that makes it; once that commits, every cache here forgets that user's entries, on this node
 * at once and on the others through a cluster event (milliseconds). One event for all of them keeps the rule
 * simple where changes cross packages (deleting a collection also changes the chats that used it).
 *
 * <p>A read that raced with a change is not kept: every change moves a generation, and a value loaded under an
 * older one is dropped instead of cached.
 */
@Component
public class OwnerCaches {

    private static final String TOPIC = "owner-data-changed";
    private static final long MAX_ENTRIES = 100_000;

    private final ClusterEvents events;
    private final MeterRegistry meters;
    private final AtomicLong generation = new AtomicLong();
    private final List<OwnerCache<?, ?>> caches = new CopyOnWriteArrayList<>();

    OwnerCaches(ClusterEvents events, MeterRegistry meters) {
        this.events = events;
        this.meters = meters;
        events.subscribe(TOPIC, this::forgetHere);
    }

    /**
     * A cache of entries kept at most {@code ttl} (which bounds only what a missed event could leave); zero
     * turns it off, so that every read loads. Its hit rate is in the metrics as {@code nosso.<name>}.
     */
    public <K, V> OwnerCache<K, V> create(String name, Duration ttl) {
        Cache<Key<K>, V> entries = null;
        if (ttl.isPositive()) {
            entries = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(ttl).recordStats().build();
            CaffeineCacheMetrics.monitor(meters, entries, "nosso." + name);
        }
        OwnerCache<K, V> cache = new OwnerCache<>(entries, generation);
        caches.add(cache);
        return cache;
    }

    /** Forgets, on every node, what is cached of this user's data: it is changing in this transaction. */
    public void changed(UUID owner) {
        events.publish(TOPIC, owner.toString());
    }

    private void forgetHere(String owner) {
        generation.incrementAndGet();
        UUID id = owner == null ? null : UUID.fromString(owner); // null: events may have been missed
        caches.forEach(cache -> cache.forget(id));
    }

    record Key<K>(UUID owner, K key) {
    }

    /** One kind of value cached per user and key; see {@link OwnerCaches}. */
    public static final class OwnerCache<K, V> {

        private final Cache<Key<K>, V> entries; // null when off
        private final AtomicLong generation;

        private OwnerCache(Cache<Key<K>, V> entries, AtomicLong generation) {
            this.entries = entries;
            this.generation = generation;
        }

        /** The cached value, or what {@code load} reads (cached unless a change came in meanwhile). */
        public V get(UUID owner, K key, Supplier<V> load) {
            if (entries == null) {
                return load.get();
            }
            Key<K> at = new Key<>(owner, key);
            V value = entries.getIfPresent(at);
            if (value != null) {
                return value;
            }
            long seen = generation.get();
            value = load.get();
            if (value != null) {
                entries.put(at, value);
                if (generation.get() != seen) {
                    entries.invalidate(at); // what was read may be from before the change
                }
            }
            return value;
        }

        private void forget(UUID owner) {
            if (entries == null) {
                return;
            }
            if (owner == null) {
                entries.invalidateAll();
            } else {
                entries.asMap().keySet().removeIf(key -> key.owner().equals(owner));
            }
        }
    }
}
