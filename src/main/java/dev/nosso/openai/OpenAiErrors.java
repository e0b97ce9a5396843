package dev.nosso.openai;

import dev.nosso.platform.DatabaseOutage;
import dev.nosso.platform.MalformedText;
import dev.nosso.platform.Problems;
import dev.nosso.platform.StorageFaults;
import dev.nosso.provider.ProviderFailure;
import dev.nosso.provider.UnknownModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error of {@link OpenAiController} in OpenAI's shape, before the problem details that the rest of the
 * API answers with ({@code platform}'s handler comes after this one). A refusal of ours elsewhere, such as a
 * message over the size limit when an exchange is stored, keeps its status and says its slug as the code.
 */
@RestControllerAdvice(assignableTypes = OpenAiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenAiErrors {

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrors.class);

    private final DatabaseOutage outage;

    OpenAiErrors(DatabaseOutage outage) {
        this.outage = outage;
    }

    @ExceptionHandler(OpenAiError.class)
    ResponseEntity<OpenAiError.Body> refused(OpenAiError e) {
        return answer(e);
    }

    @ExceptionHandler(UnknownModel.class)
    ResponseEntity<OpenAiError.Body> unknownModel(UnknownModel e) {
        return answer(OpenAiError.modelNotFound(e.modelId()));
    }

    @ExceptionHandler(ProviderFailure.class)
    ResponseEntity<OpenAiError.Body> upstream(ProviderFailure e) {
        return answer(OpenAiError.upstream(e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<OpenAiError.Body> unreadable(HttpMessageNotReadableException e) {
        // A refusal raised while the body was read (too large, sent in chunks) keeps its own status.
        for (Throwable inner = e.getCause(); inner != null; inner = inner.getCause()) {
            if (inner instanceof ErrorResponseException refusal) {
                return other(refusal);
            }
        }
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof MalformedText bad) {
            String param = MalformedText.field(bad);
            return answer(OpenAiError.invalid(param, "invalid_value", param + " " + bad.reason() + "."));
        }
        if (cause instanceof MismatchedInputException wrong && wrong.getTargetType() == String.class
                && !wrong.getPath().isEmpty()) {
            String param = MalformedText.field(wrong);
            return answer(OpenAiError.invalid(param, "invalid_type", param + " must be a string."));
        }
        String why = cause.getMessage() == null ? "" : cause.getMessage().lines().findFirst().orElse("");
        int source = why.indexOf(" at [Source");
        if (source >= 0) {
            why = why.substring(0, source);
        }
        return answer(OpenAiError.invalid(null, "invalid_body",
                "We could not parse the JSON body of your request" + (why.isBlank() ? "." : ": " + why)));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OpenAiError.Body> other(Exception e) {
        if (e instanceof ErrorResponse refusal) {
            ProblemDetail problem = refusal.getBody();
            String type = problem.getType() == null ? "" : problem.getType().toString();
            String code = type.startsWith(Problems.TYPE_PREFIX)
                    ? type.substring(Problems.TYPE_PREFIX.length()).replace('-', '_') : null;
            // A spent token budget is OpenAI's spent quota, which its clients tell from a rate limit by this type.
            String kind = refusal.getStatusCode().is5xxServerError() ? "server_error"
                    : "token_budget_spent".equals(code) ? "insufficient_quota" : OpenAiError.INVALID_REQUEST;
            OpenAiError error = new OpenAiError(refusal.getStatusCode(), kind, null, code,
                    problem.getDetail() != null ? problem.getDetail() : "The request was refused.");
            // Its headers go too: OpenAI's clients wait as long as a 429's Retry-After says before trying again.
            return ResponseEntity.status(error.status()).headers(refusal.getHeaders())
                    .contentType(MediaType.APPLICATION_JSON).body(error.body());
        }
        var fault = StorageFaults.of(e);
        if (fault.isPresent()) {
            outage.noted(e, "The OpenAI-compatible API");
            ResponseEntity.BodyBuilder builder = ResponseEntity.status(fault.get().status())
                    .contentType(MediaType.APPLICATION_JSON);
            if (fault.get().retryAfterSeconds() != null) {
                builder.header(HttpHeaders.RETRY_AFTER, fault.get().retryAfterSeconds().toString());
            }
            return builder.body(new OpenAiError(fault.get().status(), "server_error", null,
                    fault.get().slug().replace('-', '_'), fault.get().detail()).body());
        }
        log.error("Unexpected error in the OpenAI-compatible API", e);
        return answer(new OpenAiError(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", null, null,
                "The server had an error while processing your request; it has been logged."));
    }

    // The type is set, not negotiated: a client that accepts only text/event-stream still gets its error.
    private static ResponseEntity<OpenAiError.Body> answer(OpenAiError e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }
}
