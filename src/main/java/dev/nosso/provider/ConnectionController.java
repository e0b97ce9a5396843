package dev.nosso.provider;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Connections to model providers, for administrators only (the URL rules refuse everyone else). */
@RestController
@RequestMapping("/api/v1/admin/connections")
@Tag(name = "Model connections", description = "OpenAI-compatible and Ollama providers; keys are stored sealed "
        + "and never returned")
class ConnectionController {

    private final Connections connections;

    ConnectionController(Connections connections) {
        this.connections = connections;
    }

    /**
     * A partial update. {@code "apiKey": null} removes the key, while leaving the field out keeps it; a record
     * cannot tell the two apart, so this is a class whose setter notes it.
     */
    static final class ConnectionPatch {
        private String kind;
        private String name;
        private String baseUrl;
        private Optional<String> apiKey;
        private Boolean enabled;

        public void setKind(String kind) {
            this.kind = kind;
        }

        public void setName(String name) {
            this.name = name;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = Optional.ofNullable(apiKey);
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        ConnectionChanges changes() {
            return new ConnectionChanges(kind, name, baseUrl, apiKey, enabled);
        }
    }

    @GetMapping
    @Operation(summary = "Every connection, oldest first, with its health as the catalog last found it")
    List<ConnectionView> list() {
        return connections.list();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a connection: kind (openai or ollama), a unique name, an http(s) base URL, an "
            + "optional API key, enabled (default true)")
    ConnectionView create(@RequestBody Connections.NewConnection body) {
        return connections.create(body);
    }

    @GetMapping("/{connectionId}")
    ConnectionView get(@PathVariable UUID connectionId) {
        return connections.get(connectionId);
    }

    @PatchMapping("/{connectionId}")
    @Operation(summary = "Change any field; \"apiKey\": null removes the key. Changing the address, key or kind "
            + "of a connection from the environment replaces it: it becomes the administrators' own, and the "
            + "environment no longer applies it")
    ConnectionView update(@PathVariable UUID connectionId, @RequestBody ConnectionPatch body) {
        return connections.update(connectionId, body.changes());
    }

    @DeleteMapping("/{connectionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID connectionId) {
        connections.delete(connectionId);
    }

    @PostMapping("/test")
    @Operation(summary = "Try a connection before saving it (kind, baseUrl, apiKey): ok with the models found, "
            + "or the reason it failed; nothing is stored")
    Connections.TestResult tryUnsaved(@RequestBody Connections.NewConnection body) {
        return connections.test(body);
    }

    @PostMapping("/{connectionId}/test")
    @Operation(summary = "List the connection's models now: ok with their number, or the reason it failed")
    Connections.TestResult test(@PathVariable UUID connectionId) {
        return connections.test(connectionId);
    }
}
