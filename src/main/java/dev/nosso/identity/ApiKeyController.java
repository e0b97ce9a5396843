package dev.nosso.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys", description = "Keys for 'Authorization: Bearer', e.g. for the OpenAI-compatible /v1 API")
class ApiKeyController {

    private final ApiKeys apiKeys;

    ApiKeyController(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    record NewKeyRequest(String name) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a key; the response is the only place the full key ever appears")
    ApiKeys.NewApiKey create(@AuthenticationPrincipal Caller caller, @RequestBody NewKeyRequest body) {
        return apiKeys.create(caller.userId(), body.name());
    }

    @GetMapping
    @Operation(summary = "The caller's keys that are not revoked, newest first, by prefix")
    List<ApiKey> list(@AuthenticationPrincipal Caller caller) {
        return apiKeys.list(caller.userId());
    }

    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a key; it stops working at once")
    void revoke(@AuthenticationPrincipal Caller caller, @PathVariable UUID keyId) {
        apiKeys.revoke(caller.userId(), keyId);
    }
}
