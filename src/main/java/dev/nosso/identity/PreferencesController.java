package dev.nosso.identity;

import dev.nosso.identity.Preferences.PreferenceChanges;
import dev.nosso.identity.Preferences.UserPreferences;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Optional;
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

    /**
     * Changes only the fields present: {@code "systemPrompt": null} or blank removes the default prompt;
     * {@code "memory": false} stops remembering messages and forgets those already remembered.
     */
    @PatchMapping
    UserPreferences update(@AuthenticationPrincipal Caller caller, @RequestBody PreferencesPatch body) {
        return preferences.update(caller.userId(), new PreferenceChanges(body.systemPrompt, body.memory));
    }

    // Setters rather than a record: a field left out of the body must differ from one sent as null.
    static final class PreferencesPatch {
        private Optional<String> systemPrompt;
        private Boolean memory;

        public void setSystemPrompt(String systemPrompt) {
            this.systemPrompt = Optional.ofNullable(systemPrompt);
        }

        public void setMemory(Boolean memory) {
            this.memory = memory; // null: left as it was
        }
    }
}
