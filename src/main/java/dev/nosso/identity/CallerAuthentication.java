package dev.nosso.identity;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What the {@link CallerFilter} puts in the security context: the {@link Caller} as principal (so that
 * controllers take {@code @AuthenticationPrincipal Caller}) and one authority, {@code ROLE_ADMIN},
 * {@code ROLE_USER} or {@code ROLE_PENDING}, for the URL rules. It holds no credential: the secret was
 * only needed to find the caller.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
        this.caller = caller;
        setAuthenticated(true);
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    // The user id, not the email: this name ends up in logs and events, and the jobs API (platform/jobs),
    // which sits below identity, takes it as the caller's id.
    @Override
    public String getName() {
        return caller.userId().toString();
    }
}
