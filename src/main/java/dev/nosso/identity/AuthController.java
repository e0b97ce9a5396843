package dev.nosso.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign-up, sign-in and sign-out. The session cookie is added to the servlet response, never put in a
 * ResponseEntity's headers: those replace every Set-Cookie already written, the XSRF-TOKEN cookie with them.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication", description = "Sign-up, sign-in with a session cookie, and the first administrator")
class AuthController {

    private final Users users;
    private final Logins logins;
    private final Sessions sessions;
    private final FirstAdmin firstAdmin;
    private final SessionCookie cookie;
    private final SessionCsrfTokens csrfTokens;
    private final LoginThrottle throttle;

    AuthController(Users users, Logins logins, Sessions sessions, FirstAdmin firstAdmin, SessionCookie cookie,
                   SessionCsrfTokens csrfTokens, LoginThrottle throttle) {
        this.users = users;
        this.logins = logins;
        this.sessions = sessions;
        this.firstAdmin = firstAdmin;
        this.cookie = cookie;
        this.csrfTokens = csrfTokens;
        this.throttle = throttle;
    }

    record SignupRequest(String email, String password, String name) {
    }

    record LoginRequest(String email, String password) {
    }

    record SetupRequest(String token, String email, String name, String password) {
    }

    /** Who is calling, and with which kind of credential ({@code session} or {@code api-key}). */
    record Me(UUID id, String email, String name, String role, String status, String credential) {

        static Me of(User user, Caller.Credential credential) {
            return new Me(user.id(), user.email(), user.name(), user.role(), user.status(), wire(credential));
        }

        static Me of(Caller caller) {
            // The filter only ever finds active accounts.
            return new Me(caller.userId(), caller.email(), caller.name(), caller.role().wire(),
                    Status.ACTIVE.wire(), wire(caller.credential()));
        }

        private static String wire(Caller.Credential credential) {
            return credential == Caller.Credential.SESSION ? "session" : "api-key";
        }
    }

    @PostMapping("/signup")
    @Operation(summary = "Create an account with the server's default role (pending until approved, unless "
            + "configured otherwise); does not sign in")
    @ResponseStatus(HttpStatus.CREATED)
    User signup(@RequestBody SignupRequest body, HttpServletRequest request) {
        throttle.signUp(request.getRemoteAddr());
        User user = users.signUp(body.email(), body.password(), body.name());
        issueCsrfToken(request);
        return user;
    }

    @PostMapping("/login")
    @Operation(summary = "Sign in: sets the HttpOnly nosso_session cookie and the XSRF-TOKEN cookie")
    Me login(@RequestBody LoginRequest body, HttpServletRequest request, HttpServletResponse response) {
        Logins.SignedIn signedIn = logins.login(body.email(), body.password(), request.getRemoteAddr());
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.issue(signedIn.sessionToken()));
        response.addHeader(HttpHeaders.SET_COOKIE, csrfTokens.cookieFor(signedIn.sessionToken()));
        return Me.of(signedIn.user(), Caller.Credential.SESSION);
    }

    @PostMapping("/setup")
    @Operation(summary = "Create the first administrator with the one-time token printed in the log, and sign in")
    @ResponseStatus(HttpStatus.CREATED)
    Me setup(@RequestBody SetupRequest body, HttpServletResponse response) {
        User admin = firstAdmin.redeem(body.token(), body.email(), body.name(), body.password());
        String session = sessions.open(admin.id());
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.issue(session));
        response.addHeader(HttpHeaders.SET_COOKIE, csrfTokens.cookieFor(session));
        return Me.of(admin, Caller.Credential.SESSION);
    }

    @PostMapping("/logout")
    @Operation(summary = "End this session: its row is deleted and the cookie cleared")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(HttpServletRequest request, HttpServletResponse response) {
        SessionCookie.read(request).ifPresent(sessions::close);
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.clear());
    }

    @GetMapping("/me")
    @Operation(summary = "The caller; also hands a signed-in page its XSRF-TOKEN cookie")
    Me me(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
        issueCsrfToken(request);
        return Me.of(caller);
    }

    // The CSRF token is deferred: reading it is what makes the repository set the XSRF-TOKEN cookie, so
    // a client that has just signed in can write at once.
    private static void issueCsrfToken(HttpServletRequest request) {
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken();
        }
    }
}
