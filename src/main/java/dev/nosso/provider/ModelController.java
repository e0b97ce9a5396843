package dev.nosso.provider;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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

    @GetMapping("/api/v1/models")
    @Operation(summary = "The models of every enabled connection, and each connection's health; a provider that "
            + "does not answer within nosso.models.list-timeout is shown unhealthy and does not hold up the others")
    OfferedModels models() {
        return OfferedModels.of(catalog.current());
    }
}
