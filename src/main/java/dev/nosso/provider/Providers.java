package dev.nosso.provider;

import dev.nosso.provider.CatalogSnapshot.Route;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * The model providers as the rest of Nosso sees them: the catalog of every enabled connection, and a
 * completion streamed from whichever connection serves the model asked for, called with its own model id.
 */
@Service
public class Providers implements LanguageModels {

    private final ModelCatalog catalog;
    private final ProviderClients clients;

    Providers(ModelCatalog catalog, ProviderClients clients) {
        this.catalog = catalog;
        this.clients = clients;
    }

    @Override
    public List<Model> models() {
        return catalog.current().models();
    }

    @Override
    public Optional<Model> find(String modelId) {
        return catalog.route(modelId).map(Route::model);
    }

    /**
     * The models and each connection's health if a catalog is cached, without waiting for a fetch; null when
     * none is (a fetch then starts in the background).
     *
     * @param withReasons whether to say why a provider fails: for administrators only
     */
    public OfferedModels offeredIfCached(boolean withReasons) {
        CatalogSnapshot cached = catalog.cachedOrRefresh();
        return cached == null ? null : OfferedModels.of(cached, withReasons);
    }

    /** Each enabled connection's health as the catalog last found it, fetching the catalog if none is cached. */
    public List<ConnectionHealth> health() {
        return catalog.current().health();
    }

    @Override
    public Completion stream(CompletionRequest request, Consumer<String> onDelta, Cancellation cancellation) {
        Route route = catalog.route(request.model()).orElseThrow(() -> new UnknownModel(request.model()));
        // The connection as the cached catalog holds it: a change to it (disabled, deleted, another address or
        // key) reaches every node's catalog with the connection-changed event, within a second, as a revoked
        // session does; events missed empty the catalog. Reading its row again on every completion cost each
        // turn a round trip to close that moment.
        Connection connection = route.connection();
        CompletionRequest upstream = new CompletionRequest(route.upstreamId(), request.messages(),
                request.temperature(), request.maxTokens());
        try {
            return clients.of(connection.kind()).stream(catalog.endpoint(connection), upstream, onDelta, cancellation);
        } catch (ProviderFailure e) {
            // A server that does not say whether a model sees (OpenAI-compatible ones) is sent the images, and
            // a model that cannot read them is refused with a 4xx whose wording differs from server to server.
            if (hasImages(request) && e.getMessage().startsWith("The provider answered 4")) {
                throw new ProviderFailure("The model did not take the image; it may not read images. "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static boolean hasImages(CompletionRequest request) {
        return request.messages().stream().anyMatch(m -> !m.images().isEmpty());
    }
}
