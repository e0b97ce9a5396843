package dev.nosso.identity;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * CSRF tokens bound to the session: a signed-in browser's token is the HMAC-SHA256 of a fixed label keyed
 * with its session token, so only someone who holds that session (the HttpOnly cookie) can know it, and a
 * token taken from another session, or planted in this browser's cookie by another site, is refused. It is
 * computed, not stored: every node finds the same token for a session, across restarts, with nothing kept.
 *
 * <p>The token still travels as the single-page app expects (Spring's double-submit convention): the page
 * reads it from the {@value #COOKIE} cookie and sends it back in the {@value #HEADER} header. What changes is
 * what it is checked against: the session's own token, not whatever the cookie says. A browser without a
 * session (before signing in) gets a random token, which guards nothing: no write without a session needs one.
 */
final class SessionCsrfTokens implements CsrfTokenRepository {

    static final String COOKIE = "XSRF-TOKEN";
    static final String HEADER = "X-XSRF-TOKEN";
    private static final String PARAMETER = "_csrf";
    private static final byte[] LABEL = "nosso csrf token v1".getBytes(StandardCharsets.US_ASCII);

    private final boolean secureCookies;

    SessionCsrfTokens(boolean secureCookies) {
        this.secureCookies = secureCookies;
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return token(SessionCookie.read(request).map(SessionCsrfTokens::bound).orElseGet(Tokens::random));
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(token == null ? "" : token.getToken()));
    }

    /**
     * The session's token when the browser's cookie holds it; null when the cookie is missing or holds another
     * (then a fresh cookie with the session's token is written, and this request is checked against it).
     */
    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        String inCookie = cookieValue(request);
        var session = SessionCookie.read(request);
        if (session.isEmpty()) {
            return inCookie == null || inCookie.isEmpty() ? null : token(inCookie);
        }
        String expected = bound(session.get());
        return inCookie != null && MessageDigest.isEqual(inCookie.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII)) ? token(expected) : null;
    }

    /** The Set-Cookie value of the token of a session just opened (at sign-in: the request had another). */
    String cookieFor(String sessionToken) {
        return cookie(bound(sessionToken));
    }

    static String bound(String sessionToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(LABEL));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }

    private String cookie(String value) {
        return ResponseCookie.from(COOKIE, value).path("/").sameSite("Lax").secure(secureCookies)
                .maxAge(value.isEmpty() ? 0 : -1).build().toString();
    }

    private static CsrfToken token(String value) {
        return new DefaultCsrfToken(HEADER, PARAMETER, value);
    }

    private static String cookieValue(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (COOKIE.equals(cookie.getName())) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }
}
