package dev.nosso.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** Settings that would make an unsafe or broken server stop start-up, naming the setting. */
class IdentitySettingsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IdentitySettings.class)
    static class Bound {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class)
            .withPropertyValues("nosso.identity.signup-enabled=true", "nosso.identity.signup-default-role=pending",
                    "nosso.identity.session-ttl=30d", "nosso.identity.min-password-length=8",
                    "nosso.identity.login-failures-allowed=5", "nosso.identity.login-lockout=5m");

    @Test
    void theDefaultsBindAndTheAddressAllowanceHasADefaultOfItsOwn() {
        context.run(started -> {
            IdentitySettings settings = started.getBean(IdentitySettings.class);
            assertThat(settings.signupDefaultRole()).isEqualTo(Role.PENDING);
            assertThat(settings.sessionTtl()).isEqualTo(Duration.ofDays(30));
            assertThat(settings.loginLockout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(settings.loginFailuresAllowedPerAddress()).isEqualTo(20);
            assertThat(settings.hasAdmin()).isFalse();
        });
    }

    @Test
    void anAdminEmailWithoutAPasswordStopsStartUp() {
        context.withPropertyValues("nosso.identity.admin-email=root@nosso.test").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("nosso.identity.admin-password"));
    }

    @Test
    void signUpMayNeverDefaultToAdministrator() {
        context.withPropertyValues("nosso.identity.signup-default-role=admin").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("signup-default-role"));
    }

    @Test
    void aPasswordMinimumAboveTheMaximumStopsStartUp() {
        context.withPropertyValues("nosso.identity.min-password-length=300").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("minPasswordLength"));
    }

    @Test
    void theAdminPasswordNeverAppearsInTheSettingsText() {
        context.withPropertyValues("nosso.identity.admin-email=root@nosso.test",
                "nosso.identity.admin-password=very-secret-password").run(started ->
                assertThat(started.getBean(IdentitySettings.class).toString()).doesNotContain("very-secret"));
    }
}
