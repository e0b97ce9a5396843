package dev.nosso.identity;

import dev.nosso.platform.Problems;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A field of a request that breaks a rule checked in code rather than by annotations (the rules depend on
 * settings, or on normalising the value first). Same shape as the platform's bean-validation answer: 400
 * {@code validation}, the field and message in {@code detail} and in {@code errors}.
 */
class InvalidInput extends ErrorResponseException {

    InvalidInput(String field, String message) {
        super(HttpStatus.BAD_REQUEST, problem(field, message), null);
    }

    /** A display name (of a user or a key): required, trimmed, and at most {@code maxLength} characters. */
    static String requireName(String name, int maxLength) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.indexOf('\0') >= 0) {
            throw new InvalidInput("name", "must not contain a NUL character.");
        }
        if (trimmed.isEmpty()) {
            throw new InvalidInput("name", "is required.");
        }
        if (trimmed.length() > maxLength) {
            throw new InvalidInput("name", "must be at most " + maxLength + " characters long.");
        }
        return trimmed;
    }

    private static ProblemDetail problem(String field, String message) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation", field + ": " + message);
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return problem;
    }
}
