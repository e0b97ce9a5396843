package dev.nosso.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one authentication step for every request and every credential: an {@code Authorization: Bearer}
 * API key, or else the {@code nosso_session} cookie, becomes a {@link Caller} in the security context. A
 * request without a valid credential goes on anonymous, and the URL rules decide (public pages pass, the
 * API answers 401). A Bearer key that matches nothing is 401 at once, without falling back to the cookie:
 * a client that sent a key meant that key, and must learn that it is wrong. The OpenAI-compatible API
 * ({@code /v1}) takes the key alone: OpenAI's clients send keys, and ignoring the cookie there means no
 * page of another site can make a browser spend its user's models through it.
 *
 * <p>Not a bean: Spring Boot would also register it as a servlet filter outside the security chain.
 */
final class CallerFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Callers callers;
    private final SecurityProblems problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository;

    private final RequestMatcher publicReads;

    /** @param publicReads requests anyone may make, which need no caller: no credential is looked up for them */
    CallerFilter(Callers callers, SecurityProblems problems, SecurityContextRepository repository,
                 RequestMatcher publicReads) {
        this.callers = callers;
        this.problems = problems;
        this.repository = repository;
        this.publicReads = publicReads;
    }

    // The web UI's pages, modules and WebJars: a page load asks for a dozen of them, and none needs to know who
    // asks, so none costs a look-up of the session.
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return publicReads.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] authorization = Objects.requireNonNullElse(request.getHeader(HttpHeaders.AUTHORIZATION), "")
                .strip().split("\\s+", 2);
        Optional<Caller> caller;
        if (authorization[0].equalsIgnoreCase(BEARER)) {
            caller = callers.byApiKey(authorization.length == 2 ? authorization[1] : "");
            if (caller.isEmpty()) {
                problems.write(request, response, HttpStatus.UNAUTHORIZED, "invalid-api-key",
                        "This API key is unknown or revoked, or its account is suspended.");
                return;
            }
        } else if (SecurityConfiguration.forOpenAiApi(request)) {
            caller = Optional.empty();
        } else {
            caller = SessionCookie.read(request).flatMap(callers::bySessionToken);
        }
        if (caller.isPresent()) {
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(new CallerAuthentication(caller.get()));
            contexts.setContext(context);
            // Kept on the request too, so that async and error dispatches of it see the same caller.
            repository.saveContext(context, request, response);
        }
        chain.doFilter(request, response);
    }

    /** Whether the request presents an API key (rather than, perhaps, the session cookie). */
    static boolean hasBearer(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.strip().regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    /**
     * Whether a request must carry the CSRF token: a write authenticated by the session cookie, the one
     * credential a browser attaches on its own to a request another site makes it send. A Bearer key is
     * never attached by a browser; a request with no valid credential reaches nothing that needs one.
     */
    static boolean needsCsrfToken(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod())
                && SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication()
                        instanceof CallerAuthentication auth
                && auth.getPrincipal().credential() == Caller.Credential.SESSION;
    }
}
