package dev.nosso.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.util.StringUtils;

/**
 * The single-page-app CSRF convention (what {@code csrf.spa()} sets up): every response to a browser makes
 * sure the {@code XSRF-TOKEN} cookie holds its session's token ({@link SessionCsrfTokens}), and the token comes back raw in the {@code X-XSRF-TOKEN}
 * header, or masked in a form field. Unlike {@code spa()}, a request with an {@code Authorization: Bearer}
 * key gets no cookie: API clients need no token, and a fresh cookie on each of their responses only costs.
 */
final class BrowserCsrfTokens implements CsrfTokenRequestHandler {

    private final CsrfTokenRequestAttributeHandler raw = new CsrfTokenRequestAttributeHandler();
    private final XorCsrfTokenRequestAttributeHandler masked = new XorCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
        masked.handle(request, response, token);
        // Loading the deferred token writes the cookie when the browser has none (or one of another session).
        // Signing in writes the new session's own instead, once.
        if (!CallerFilter.hasBearer(request) && !SecurityConfiguration.opensSession(request)) {
            token.get();
        }
    }

    @Override
    public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
        boolean inHeader = StringUtils.hasText(request.getHeader(token.getHeaderName()));
        return (inHeader ? raw : masked).resolveCsrfTokenValue(request, token);
    }
}
