package dev.nosso.provider;

import java.util.List;
import java.util.UUID;

/** The models every signed-in user may choose from, and which providers are failing right now. */
public record OfferedModels(List<Model> models, List<ProviderStatus> connections) {

    /** An enabled connection's state, without its address: users need to know a provider fails, not where it is. */
    public record ProviderStatus(UUID id, String name, String kind, boolean healthy, String error) {
    }

    static OfferedModels of(CatalogSnapshot snapshot) {
        return new OfferedModels(snapshot.models(), snapshot.health().stream()
                .map(h -> new ProviderStatus(h.connectionId(), h.name(), h.kind(), h.healthy(), h.error()))
                .toList());
    }
}
