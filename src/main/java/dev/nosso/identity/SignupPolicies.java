package dev.nosso.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and changes the {@link SignupPolicy}: the stored values, or else the configured defaults. */
@Service
class SignupPolicies {

    private final SettingRepository settings;
    private final IdentitySettings defaults;
    private final Clock clock;

    SignupPolicies(SettingRepository settings, IdentitySettings defaults, Clock clock) {
        this.settings = settings;
        this.defaults = defaults;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    SignupPolicy current() {
        Map<String, String> stored = settings.findAll(
                List.of(SettingRepository.SIGNUP_ENABLED, SettingRepository.SIGNUP_DEFAULT_ROLE));
        String enabled = stored.get(SettingRepository.SIGNUP_ENABLED);
        String role = stored.get(SettingRepository.SIGNUP_DEFAULT_ROLE);
        return new SignupPolicy(enabled == null ? defaults.signupEnabled() : Boolean.parseBoolean(enabled),
                role == null ? defaults.signupDefaultRole().wire() : role);
    }

    /** Changes the fields given (null leaves a field as it is) and returns the policy now in force. */
    @Transactional
    SignupPolicy change(Boolean signupEnabled, String signupDefaultRole) {
        Instant now = clock.instant();
        if (signupDefaultRole != null) {
            if (!Role.PENDING.wire().equals(signupDefaultRole) && !Role.USER.wire().equals(signupDefaultRole)) {
                throw new InvalidInput("signupDefaultRole", "must be pending or user.");
            }
            settings.put(SettingRepository.SIGNUP_DEFAULT_ROLE, signupDefaultRole, now);
        }
        if (signupEnabled != null) {
            settings.put(SettingRepository.SIGNUP_ENABLED, signupEnabled.toString(), now);
        }
        return current();
    }
}
