package dev.nosso.identity;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Accounts, sessions and sign-in. A bad value stops start-up and names the setting.
 *
 * @param adminEmail                     with {@code adminPassword}, the first administrator, created at start-up
 *                                       when no administrator exists ({@code NOSSO_ADMIN_EMAIL})
 * @param adminPassword                  that administrator's password ({@code NOSSO_ADMIN_PASSWORD})
 * @param signupEnabled                  whether anyone may create an account, until an admin changes it
 * @param signupDefaultRole              the role of a new account, {@code pending} (waits for approval) or
 *                                       {@code user}, until an admin changes it
 * @param sessionTtl                     how long a sign-in lasts
 * @param secureCookies                  mark cookies {@code Secure}: set it when Nosso is served over HTTPS
 * @param minPasswordLength              the shortest password accepted
 * @param loginFailuresAllowed           failed sign-ins allowed per email within {@code loginLockout}
 * @param loginLockout                   the window that counts failures, and how long a locked email waits
 * @param loginFailuresAllowedPerAddress failed sign-ins allowed per client address within {@code loginLockout};
 *                                       higher than per email because many people may share one address
 * @param signupsPerAddress              accounts one client address may create within {@code loginLockout}:
 *                                       each costs a password hash, so anonymous sign-ups are bounded too
 */
@ConfigurationProperties("nosso.identity")
@Validated
record IdentitySettings(
        String adminEmail,
        String adminPassword,
        boolean signupEnabled,
        @NotNull Role signupDefaultRole,
        @NotNull @DurationMin(minutes = 1) Duration sessionTtl,
        boolean secureCookies,
        @Positive @Max(Passwords.MAX_LENGTH) int minPasswordLength,
        @Positive int loginFailuresAllowed,
        @NotNull @DurationMin(seconds = 1) Duration loginLockout,
        @DefaultValue("20") @Positive int loginFailuresAllowedPerAddress,
        @DefaultValue("10") @Positive int signupsPerAddress) {

    /** Both or neither: an email without a password (or the reverse) is a typo, not a choice. */
    @AssertTrue(message = "nosso.identity.admin-email and nosso.identity.admin-password must be set together")
    boolean isAdminComplete() {
        return StringUtils.hasText(adminEmail) == StringUtils.hasText(adminPassword);
    }

    // Sign-up must never make administrators: the first one is created on purpose, the others promoted.
    @AssertTrue(message = "nosso.identity.signup-default-role must be pending or user")
    boolean isSignupDefaultRoleSafe() {
        return signupDefaultRole != Role.ADMIN;
    }

    boolean hasAdmin() {
        return StringUtils.hasText(adminEmail);
    }

    // The record's own toString would print the admin password wherever the settings are logged.
    @Override
    public String toString() {
        return "IdentitySettings[adminEmail=" + adminEmail + ", adminPassword=" + (hasAdmin() ? "***" : "")
                + ", signupEnabled=" + signupEnabled + ", signupDefaultRole=" + signupDefaultRole
                + ", sessionTtl=" + sessionTtl + ", secureCookies=" + secureCookies
                + ", minPasswordLength=" + minPasswordLength + ", loginFailuresAllowed=" + loginFailuresAllowed
                + ", loginLockout=" + loginLockout
                + ", loginFailuresAllowedPerAddress=" + loginFailuresAllowedPerAddress
                + ", signupsPerAddress=" + signupsPerAddress + "]";
    }
}
