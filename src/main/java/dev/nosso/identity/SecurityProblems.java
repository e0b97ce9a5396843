package dev.nosso.identity;

import dev.nosso.platform.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers the security filter chain gives before any controller runs, as the same problem details the
 * controllers give. A 401 carries no {@code WWW-Authenticate} header: with {@code Basic} in it, a browser
 * opens its own password dialog, and Chromium then waits for credentials forever.
 *
 * <p>Under the OpenAI-compatible API ({@code /v1}) the same refusals come in OpenAI's error shape,
 * {@code {"error": {"message", "type", "param", "code"}}}, which is what OpenAI's clients parse: a 401 there
 * has the code {@code invalid_api_key}, so that their SDKs raise their "unauthorized" error.
 */
@Component
class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    SecurityProblems(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        write(request, response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                SecurityConfiguration.forOpenAiApi(request)
                        ? "Send a Nosso API key (nsk_...) as 'Authorization: Bearer <key>'; /v1 takes no session cookie."
                        : "Sign in first, or send an API key as 'Authorization: Bearer <key>'.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        if (e instanceof CsrfException) {
            write(request, response, HttpStatus.FORBIDDEN, "csrf",
                    "A write with the session cookie needs the X-XSRF-TOKEN header carrying the value of the "
                            + "XSRF-TOKEN cookie.");
        } else if (SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication()
                instanceof CallerAuthentication auth && auth.getPrincipal().role() == Role.PENDING) {
            write(request, response, HttpStatus.FORBIDDEN, "account-pending",
                    "This account waits for an administrator's approval.");
        } else {
            write(request, response, HttpStatus.FORBIDDEN, "forbidden", "Your role does not allow this.");
        }
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
               String detail) throws IOException {
        if (SecurityConfiguration.forOpenAiApi(request)) {
            writeOpenAiError(response, status, slug, detail);
            return;
        }
        ProblemDetail problem = Problems.of(status, slug, detail);
        // The fields Spring MVC writes for a ProblemDetail, in its order, so clients see one shape.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(body));
    }

    private void writeOpenAiError(HttpServletResponse response, HttpStatus status, String slug, String detail)
            throws IOException {
        String code = status == HttpStatus.UNAUTHORIZED ? "invalid_api_key" : slug.replace('-', '_');
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(Problems.openAiRefusal(detail, code)));
    }
}
