package dev.nosso.provider;

import java.util.List;
import java.util.UUID;

/** The models every signed-in user may choose from, and which providers are failing right now. */
public record OfferedModels(List<Model> models, List<ProviderStatus> connections) {

    /**
     * An enabled connection's state, never its address: users need to know that a provider fails, not where
     * it is or what it answered.
     *
     * @param status {@code available}, {@code unavailable}, or {@code not-found} for the default Ollama address
     *               probed quietly (nothing listens there)
     * @param error  why it is unavailable, for administrators only (a short, sanitised reason); null for
     *               everyone else, and when it is available
     */
    public record ProviderStatus(UUID id, String name, String kind, boolean healthy, String status, String error) {
    }

    /** @param withReasons whether the caller may read why a provider fails (an administrator) */
    static OfferedModels of(CatalogSnapshot snapshot, boolean withReasons) {
        return new OfferedModels(snapshot.models(), snapshot.health().stream()
                .map(h -> new ProviderStatus(h.connectionId(), h.name(), h.kind(), h.healthy(),
                        h.status(), withReasons ? h.error() : null))
                .toList());
    }
}
