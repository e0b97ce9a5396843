package dev.nosso.identity;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The security filter chain: who may call what, the one {@link CallerFilter}, CSRF for cookie writes, and
 * problem-detail answers for 401 and 403. Nothing here keeps state in Spring's HttpSession: our sessions
 * are rows in {@code sessions}.
 *
 * <p>The OpenAI-compatible API under {@value #OPENAI_API} is for OpenAI's own clients: it takes API keys only,
 * and its 401 and 403 come in OpenAI's error shape, the one those clients parse.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String LOGIN = "/api/v1/auth/login";
    static final String SIGNUP = "/api/v1/auth/signup";
    static final String SETUP = "/api/v1/auth/setup";
    static final String OPENAI_API = "/v1";

    /**
     * The web UI: its pages (any route the app's router knows is answered with index.html), its modules and
     * styles, and the WebJars; public, since they hold no data and the sign-in page is among them. Defined as
     * "a read outside the API paths", with the same path matching as the controllers, so that an encoded
     * path such as {@code /%61pi/...} is the API to these rules as it is to them.
     */
    private static final RequestMatcher PAGES_AND_STATIC_FILES = new AndRequestMatcher(
            request -> HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod()),
            new NegatedRequestMatcher(new OrRequestMatcher(pathPattern("/api/**"), pathPattern("/v1/**"),
                    pathPattern("/actuator/**"))));
    private static final String[] API_DOCS = {"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**",
            "/swagger-ui.html"};

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, Callers callers, SecurityProblems problems,
                                            SessionCsrfTokens csrfTokens) throws Exception {
        SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
        http
                .authorizeHttpRequests(rules -> rules
                        .requestMatchers(LOGIN, SIGNUP, SETUP).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(API_DOCS).permitAll()
                        .requestMatchers(PAGES_AND_STATIC_FILES).permitAll()
                        .requestMatchers("/error").permitAll()
                        // A shared link: its controller lets a visitor in or not, as the administrator chose.
                        .requestMatchers(HttpMethod.GET, "/api/v1/shared/*").permitAll()
                        // A pending account may see who it is and sign out, nothing more.
                        .requestMatchers("/api/v1/auth/me", "/api/v1/auth/logout").authenticated()
                        .requestMatchers("/api/v1/admin/**", "/actuator/**").hasRole("ADMIN")
                        .anyRequest().hasAnyRole("ADMIN", "USER"))
                .addFilterBefore(new CallerFilter(callers, problems, contexts, PAGES_AND_STATIC_FILES), CsrfFilter.class)
                // The token travels in the XSRF-TOKEN cookie, readable by the page, and comes back in the
                // X-XSRF-TOKEN header; it is checked against the one its session's token signs.
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new BrowserCsrfTokens())
                        .requireCsrfProtectionMatcher(CallerFilter::needsCsrfToken)
                        .ignoringRequestMatchers(LOGIN, SIGNUP, SETUP))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(contexts))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        return http.build();
    }

    @Bean
    SessionCsrfTokens sessionCsrfTokens(IdentitySettings settings) {
        return new SessionCsrfTokens(settings.secureCookies());
    }

    private static final RequestMatcher OPENS_SESSION = new OrRequestMatcher(pathPattern(HttpMethod.POST, LOGIN),
            pathPattern(HttpMethod.POST, SETUP));

    /** Whether the request signs in: its answer sets a new session, and the CSRF cookie of that session. */
    static boolean opensSession(HttpServletRequest request) {
        return OPENS_SESSION.matches(request);
    }

    // Matched as the controllers match paths (decoded), so that an encoded /%76%31/... is the OpenAI API to
    // the security rules as it is to the controllers, and takes API keys only there too.
    private static final RequestMatcher OPENAI_API_PATHS = pathPattern(OPENAI_API + "/**");

    /** Whether the request is for the OpenAI-compatible API. */
    static boolean forOpenAiApi(HttpServletRequest request) {
        return OPENAI_API_PATHS.matches(request);
    }

    /**
     * No request is authenticated through Spring's AuthenticationManager: the {@link CallerFilter} is the one
     * pipeline, and passwords are checked by {@link Logins}. Declaring this bean keeps Spring Boot from
     * creating an in-memory user with a generated password and printing it.
     */
    @Bean
    AuthenticationManager authenticationManager() {
        return authentication -> {
            throw new ProviderNotFoundException("Nosso authenticates in its CallerFilter only");
        };
    }
}
