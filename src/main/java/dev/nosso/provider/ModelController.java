package dev.nosso.provider;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The models every signed-in user may choose from, and which providers are failing right now. */
@RestController
@Tag(name = "Models")
class ModelController {

    private final ModelCatalog catalog;

    ModelController(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** An enabled connection's state, without its address: users need to know a provider fails, not where it is. */
    record ProviderStatus(UUID id, String name, String kind, boolean healthy, String error) {
    }

    record ModelList(List<Model> models, List<ProviderStatus> connections) {
    }

    @GetMapping("/api/v1/models")
    @Operation(summary = "The models of every enabled connection, and each connection's health; a provider that "
            + "does not answer within nosso.models.list-timeout is shown unhealthy and does not hold up the others")
    ModelList models() {
        CatalogSnapshot snapshot = catalog.current();
        return new ModelList(snapshot.models(), snapshot.health().stream()
                .map(h -> new ProviderStatus(h.connectionId(), h.name(), h.kind(), h.healthy(), h.error()))
                .toList());
    }
}
