package dev.nosso.platform;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem details with a stable {@code type} per kind of error, so clients can branch on it rather
 * than on the wording of {@code detail}.
 */
public final class Problems {

    public static final String TYPE_PREFIX = "urn:nosso:problem:";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String slug, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + slug));
        return problem;
    }

    /** An exception that Spring MVC renders as the given problem. */
    public static ErrorResponseException exception(HttpStatusCode status, String slug, String detail) {
        return new ErrorResponseException(status, of(status, slug, detail), null);
    }

    /**
     * Writes a problem straight to a response, for refusals made before Spring MVC takes the request (filters,
     * the web server itself). A request to the OpenAI-compatible API gets OpenAI's error shape instead.
     */
    public static void write(HttpServletResponse response, String path, HttpStatus status, String slug,
                             String detail) throws IOException {
        Object body;
        if (path != null && path.startsWith("/v1/")) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            Map<String, Object> refusal = openAiRefusal(detail, slug.replace('-', '_'));
            if (status.is5xxServerError()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> error = new LinkedHashMap<>((Map<String, Object>) refusal.get("error"));
                error.put("type", "server_error"); // a fault of the server, as OpenAI's clients tell them apart
                refusal = Map.of("error", error);
            }
            body = refusal;
        } else {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", TYPE_PREFIX + slug);
            problem.put("title", status.getReasonPhrase());
            problem.put("status", status.value());
            problem.put("detail", detail);
            if (path != null) {
                problem.put("instance", path);
            }
            body = problem;
        }
        response.setStatus(status.value());
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }

    /**
     * A refusal of a request to the OpenAI-compatible API before it reaches that API's own handlers (the
     * security chain, the body-size limit), as a body in OpenAI's error shape,
     * {@code {"error": {"message", "type": "invalid_request_error", "param": null, "code"}}}, which is what
     * OpenAI's clients parse.
     */
    public static Map<String, Object> openAiRefusal(String message, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.put("param", null);
        error.put("code", code);
        return Map.of("error", error);
    }
}
