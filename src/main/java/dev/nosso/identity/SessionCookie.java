package dev.nosso.identity;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The {@code nosso_session} cookie: HttpOnly so page scripts never see the token, SameSite=Lax so other
 * sites' forms and scripts do not carry it on writes (the CSRF token is the second line), Path=/ and
 * {@code Secure} when {@code nosso.identity.secure-cookies} says the server is behind HTTPS.
 */
@Component
class SessionCookie {

    static final String NAME = "nosso_session";

    private final IdentitySettings settings;

    SessionCookie(IdentitySettings settings) {
        this.settings = settings;
    }

    String issue(String token) {
        return base(token).maxAge(settings.sessionTtl()).build().toString();
    }

    String clear() {
        return base("").maxAge(0).build().toString();
    }

    static Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName()) && !cookie.getValue().isBlank()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private ResponseCookie.ResponseCookieBuilder base(String value) {
        return ResponseCookie.from(NAME, value).httpOnly(true).sameSite("Lax").path("/")
                .secure(settings.secureCookies());
    }
}
