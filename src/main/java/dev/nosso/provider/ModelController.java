package dev.nosso.provider;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
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

    // Why a provider fails is for administrators: the reason quotes what the provider answered. The role is
    // read from the request (the security chain's ROLE_ADMIN) so that this module needs nothing of identity.
    @GetMapping("/api/v1/models")
    @Operation(summary = "The models of every enabled connection, and each connection's health; a provider that "
            + "does not answer within nosso.models.list-timeout is shown unavailable and does not hold up the "
            + "others. Only administrators get the reason (connections[].error)")
    OfferedModels models(HttpServletRequest request) {
        return OfferedModels.of(catalog.current(), request.isUserInRole("ADMIN"));
    }
}
