package dev.nosso.provider;

import dev.nosso.provider.ProviderClient.UpstreamModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The catalog as one fetch found it: every model with the connection and upstream id that serve it, and
 * each enabled connection's health.
 *
 * <p>Model ids are unique. A connection's model keeps its upstream id unless an earlier connection (older by
 * creation) already serves that id; then it is {@code <connection name>/<upstream id>}, and the upstream id
 * is still what the provider is called with. So with one provider nothing is renamed, and a model that two
 * servers share stays reachable on both.
 */
record CatalogSnapshot(List<Model> models, Map<String, Route> routes, List<ConnectionHealth> health,
                       Instant fetchedAt) {

    static final CatalogSnapshot EMPTY = new CatalogSnapshot(List.of(), Map.of(), List.of(), Instant.EPOCH);

    /** Where a catalog model is served. */
    record Route(Model model, Connection connection, String upstreamId) {
    }

    /** One connection's listing: its models (none, or the last good ones, when it failed) and its health. */
    record Listed(Connection connection, List<UpstreamModel> models, ConnectionHealth health) {
    }

    /** @param listed in the connections' creation order, which decides who keeps a shared id */
    static CatalogSnapshot merge(List<Listed> listed, Instant fetchedAt) {
        Map<String, Route> routes = new LinkedHashMap<>();
        for (Listed one : listed) {
            Connection connection = one.connection();
            for (UpstreamModel upstream : sortedDistinct(one.models())) {
                String id = upstream.id();
                if (routes.containsKey(id)) {
                    id = connection.name() + "/" + upstream.id();
                    for (int n = 2; routes.containsKey(id); n++) {
                        id = connection.name() + "/" + upstream.id() + "#" + n;
                    }
                }
                Model model = new Model(id, upstream.id(), connection.id(), connection.name(), upstream.contextLength(),
                        upstream.vision());
                routes.put(id, new Route(model, connection, upstream.id()));
            }
        }
        List<Model> models = routes.values().stream().map(Route::model).toList();
        return new CatalogSnapshot(models, Map.copyOf(routes), listed.stream().map(Listed::health).toList(),
                fetchedAt);
    }

    Duration age(Instant now) {
        return Duration.between(fetchedAt, now);
    }

    // A stable order for the UI, whatever order the provider lists in; a repeated id is listed once.
    private static List<UpstreamModel> sortedDistinct(List<UpstreamModel> models) {
        Map<String, UpstreamModel> byId = new TreeMap<>(
                String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()));
        for (UpstreamModel model : models) {
            if (model != null && model.id() != null && !model.id().isBlank()) {
                byId.putIfAbsent(model.id(), model);
            }
        }
        return new ArrayList<>(byId.values());
    }
}
