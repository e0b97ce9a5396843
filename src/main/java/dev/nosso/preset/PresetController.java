package dev.nosso.preset;

import dev.nosso.identity.Caller;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/presets")
@Tag(name = "Presets")
class PresetController {

    private final Presets presets;

    PresetController(Presets presets) {
        this.presets = presets;
    }

    @GetMapping
    @Operation(summary = "The caller's presets and those an administrator published, by name")
    List<Preset> list(@AuthenticationPrincipal Caller caller) {
        return presets.visible(caller.userId());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a preset (published: true, administrators only, offers it to everyone)")
    Preset create(@AuthenticationPrincipal Caller caller, @RequestBody PresetInput body) {
        return presets.create(caller.userId(), caller.isAdmin(), body);
    }

    @GetMapping("/{presetId}")
    Preset get(@AuthenticationPrincipal Caller caller, @PathVariable UUID presetId) {
        return presets.get(caller.userId(), presetId);
    }

    @PutMapping("/{presetId}")
    @Operation(summary = "Replace a preset of the caller's (an administrator also any published one)")
    Preset update(@AuthenticationPrincipal Caller caller, @PathVariable UUID presetId,
                  @RequestBody PresetInput body) {
        return presets.update(caller.userId(), caller.isAdmin(), presetId, body);
    }

    @DeleteMapping("/{presetId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID presetId) {
        presets.delete(caller.userId(), caller.isAdmin(), presetId);
    }
}
