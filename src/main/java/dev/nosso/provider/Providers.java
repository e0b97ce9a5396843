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

    /** Each enabled connection's health as the catalog last found it, fetching the catalog if none is cached. */
    public List<ConnectionHealth> health() {
        return catalog.current().health();
    }

    @Override
    public Completion stream(CompletionRequest request, Consumer<String> onDelta, Cancellation cancellation) {
        Route route = catalog.route(request.model()).orElseThrow(() -> new UnknownModel(request.model()));
        Connection connection = route.connection();
        CompletionRequest upstream = new CompletionRequest(route.upstreamId(), request.messages(),
                request.temperature(), request.maxTokens());
        return clients.of(connection.kind()).stream(catalog.endpoint(connection), upstream, onDelta, cancellation);
    }
}
