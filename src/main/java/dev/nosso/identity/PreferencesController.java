package dev.nosso.identity;

import dev.nosso.identity.Preferences.UserPreferences;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/preferences")
@Tag(name = "Preferences")
class PreferencesController {

    private final Preferences preferences;

    PreferencesController(Preferences preferences) {
        this.preferences = preferences;
    }

    @GetMapping
    UserPreferences get(@AuthenticationPrincipal Caller caller) {
        return preferences.of(caller.userId());
    }

    /** Replaces the preferences given; {@code "systemPrompt": null} or blank removes the default prompt. */
    @PatchMapping
    UserPreferences update(@AuthenticationPrincipal Caller caller, @RequestBody UserPreferences body) {
        return preferences.update(caller.userId(), body);
    }
}
