package dev.nosso.provider;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.nosso.platform.cluster.ClusterEvents;
import dev.nosso.provider.CatalogSnapshot.Listed;
import dev.nosso.provider.CatalogSnapshot.Route;
import dev.nosso.provider.ProviderClient.UpstreamModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The merged list of models of every enabled connection, fetched from all of them at once, each on its own
 * virtual thread and each given at most {@code nosso.models.list-timeout}: a slow or dead provider is shown
 * unhealthy for that round and never delays the others longer. Nothing is fetched at start-up; the first
 * request does it.
 *
 * <p>A fetched catalog is served for {@code cache-ttl}; for up to four times as long after that it is still
 * served while a fresh one is fetched in the background; older than that, the next caller waits for a fetch.
 * A connection that fails keeps its last listed models for {@code keep-after-failure}, so a brief outage does
 * not make the models of running chats unknown.
 *
 * <p>Every change to a connection clears the catalog on this node at once and, through a cluster event, on
 * every other node as soon as it hears (milliseconds); a node that may have missed events forgets everything.
 */
@Component
class ModelCatalog {

    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);
    private static final String KEY = "catalog";

    /** The cluster event of a change to a connection, committed; its payload is the connection's id. */
    static final String CONNECTION_CHANGED = "connection-changed";

    private final ConnectionRepository connections;
    private final ProviderClients clients;
    private final SecretBox secrets;
    private final ProviderSettings.Models settings;
    private final Clock clock;
    private final ClusterEvents events;
    private final ExecutorService listing = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<UUID, LastGood> lastGood = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final LoadingCache<String, Fetched> cache;

    private record LastGood(Instant listedAt, List<UpstreamModel> models) {
    }

    /**
     * A catalog with the generation of the connections it was fetched from. A fetch that began before a
     * change may end after the change cleared the cache; its generation is then behind, and it is not served.
     */
    private record Fetched(long generation, CatalogSnapshot snapshot) {
    }

    ModelCatalog(ConnectionRepository connections, ProviderClients clients, SecretBox secrets,
                 ProviderSettings settings, Clock clock, ClusterEvents events, MeterRegistry meters) {
        this.connections = connections;
        this.clients = clients;
        this.secrets = secrets;
        this.settings = settings.models();
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(this.settings.cacheTtl())
                .expireAfterWrite(this.settings.cacheTtl().multipliedBy(5))
                .executor(listing)
                .recordStats()
                .build(key -> fetch());
        CaffeineCacheMetrics.monitor(meters, cache, "nosso.models.catalog");
        this.events = events;
        events.subscribe(CONNECTION_CHANGED, this::heard);
    }

    /** The catalog, fetched now only if none is cached (or the cached one is too old to serve). */
    CatalogSnapshot current() {
        Fetched fetched = cache.get(KEY);
        if (fetched.generation() != generation.get()) {
            cache.asMap().remove(KEY, fetched);
            fetched = cache.get(KEY);
        }
        return fetched.snapshot();
    }

    /**
     * The cached catalog without waiting for a fetch, or null when there is none. Starts a fetch in the
     * background when there is none or it is out of date.
     */
    CatalogSnapshot cachedOrRefresh() {
        Fetched cached = cache.getIfPresent(KEY);
        if (cached == null || cached.generation() != generation.get()) {
            cache.refresh(KEY);
        }
        return cached == null ? null : cached.snapshot();
    }

    /**
     * The route to a model id. An id the catalog does not know fetches the catalog again when the one cached
     * is older than {@code refresh-unknown-after}, so a model just added upstream works at once.
     */
    Optional<Route> route(String modelId) {
        if (modelId == null) {
            return Optional.empty();
        }
        CatalogSnapshot snapshot = current();
        Route route = snapshot.routes().get(modelId);
        if (route == null && snapshot.age(clock.instant()).compareTo(settings.refreshUnknownAfter()) >= 0) {
            // Conditional: of many callers asking for unknown ids at once, one clears and all wait for one fetch.
            Fetched cached = cache.getIfPresent(KEY);
            if (cached != null && cached.snapshot() == snapshot) {
                cache.asMap().remove(KEY, cached);
            }
            route = current().routes().get(modelId);
        }
        return Optional.ofNullable(route);
    }

    /**
     * Forgets what was fetched, with the last good models of {@code connectionId}, after a committed change to
     * it: on every node, this one at once (the administrator's next request sees the change), the others
     * when they hear the event.
     */
    void changed(UUID connectionId) {
        events.publish(CONNECTION_CHANGED, connectionId.toString());
    }

    // On the thread that published, or on the events' one thread: only forgets, the next request fetches.
    private void heard(String connectionId) {
        if (connectionId == null) {
            lastGood.clear(); // events were missed: any connection may have changed
        } else {
            lastGood.remove(UUID.fromString(connectionId));
        }
        invalidate();
    }

    /** Forgets the fetched catalog, keeping each connection's last good models. */
    void invalidate() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    /** Lists one connection's models now, within the timeout: the admin's test button. */
    List<UpstreamModel> listNow(Connection connection) {
        Future<List<UpstreamModel>> future = listing.submit(() -> clients.of(connection.kind()).models(endpoint(connection)));
        return await(future, System.nanoTime() + settings.listTimeout().toNanos());
    }

    /** Where to call a connection, with its key opened. */
    Endpoint endpoint(Connection connection) {
        String key = null;
        if (connection.hasApiKey()) {
            try {
                key = secrets.open(connection.sealedApiKey());
            } catch (SecretBox.Unreadable e) {
                throw new ProviderFailure("The API key of the connection \"" + connection.name() + "\" cannot be "
                        + "read with this server's secret key (was NOSSO_SECRET_KEY or secret.key changed?); an "
                        + "administrator has to enter the key again.");
            }
        }
        return new Endpoint(connection.baseUrl(), key);
    }

    private Fetched fetch() {
        long fetching = generation.get(); // read before the connections: a change after this makes it stale
        Instant started = clock.instant();
        List<Connection> enabled = connections.listEnabled();
        Set<UUID> ids = enabled.stream().map(Connection::id).collect(Collectors.toSet());
        lastGood.keySet().retainAll(ids);
        long deadline = System.nanoTime() + settings.listTimeout().toNanos();
        List<Future<List<UpstreamModel>>> futures = new ArrayList<>();
        for (Connection connection : enabled) {
            futures.add(listing.submit(() -> clients.of(connection.kind()).models(endpoint(connection))));
        }
        List<Listed> listed = new ArrayList<>();
        for (int i = 0; i < enabled.size(); i++) {
            listed.add(listed(enabled.get(i), futures.get(i), deadline));
        }
        return new Fetched(fetching, CatalogSnapshot.merge(listed, started));
    }

    private Listed listed(Connection connection, Future<List<UpstreamModel>> future, long deadline) {
        Instant checkedAt = clock.instant();
        try {
            List<UpstreamModel> models = List.copyOf(await(future, deadline));
            lastGood.put(connection.id(), new LastGood(checkedAt, models));
            return new Listed(connection, models, health(connection, null, checkedAt, models.size()));
        } catch (ProviderFailure e) {
            LastGood last = lastGood.get(connection.id());
            List<UpstreamModel> kept = List.of();
            if (last != null && Duration.between(last.listedAt(), checkedAt).compareTo(settings.keepAfterFailure()) <= 0) {
                kept = last.models();
            }
            ConnectionHealth health = health(connection, e.getMessage(), checkedAt, kept.size());
            if (probed(connection) && unreachable(e)) {
                health = new ConnectionHealth(health.connectionId(), health.name(), health.kind(), false,
                        health.error(), checkedAt, kept.size(), "not-found");
            }
            return new Listed(connection, kept, health);
        }
    }

    private static ConnectionHealth health(Connection c, String error, Instant checkedAt, int models) {
        return new ConnectionHealth(c.id(), c.name(), c.kind().wire(), error == null, error, checkedAt, models);
    }

    /** The Ollama the environment declares by default: tried on every machine, found only on some. */
    static boolean probed(Connection c) {
        return c.fromEnvironment() && c.kind() == ConnectionKind.OLLAMA
                && DEFAULT_OLLAMA.equals(c.baseUrl().toString());
    }

    static final String DEFAULT_OLLAMA = "http://127.0.0.1:11434";

    private static boolean unreachable(ProviderFailure e) {
        return e.getCause() instanceof java.net.ConnectException
                || e.getCause() instanceof java.net.http.HttpConnectTimeoutException;
    }

    /** The listing, or a {@link ProviderFailure} with a reason a user can read, by the deadline at the latest. */
    private List<UpstreamModel> await(Future<List<UpstreamModel>> future, long deadline) {
        try {
            List<UpstreamModel> models = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return models == null ? List.of() : models;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProviderFailure("It did not list its models within " + seconds(settings.listTimeout()) + ".");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderFailure("Listing its models was interrupted.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProviderFailure failure) {
                throw failure;
            }
            log.warn("Listing models failed unexpectedly", e.getCause());
            throw new ProviderFailure("Listing its models failed unexpectedly; the server log has the details.");
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @PreDestroy
    void stop() {
        listing.shutdownNow();
    }
}
