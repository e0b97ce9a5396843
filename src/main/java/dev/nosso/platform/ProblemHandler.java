package dev.nosso.platform;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every error into a problem detail with a stable type. Bad input is a 4xx that says what was wrong;
 * only a fault of ours is a 500, and it carries no stack trace or internal message.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    // How Tomcat's multipart parser begins the message of a part whose headers are over the limit.
    private static final String PART_HEADERS_TOO_LONG = "Header section has more than";

    private final long partHeaderLimit;
    private final DatabaseOutage outage;

    ProblemHandler(@Value("${server.tomcat.max-part-header-size:512B}") DataSize partHeaderLimit,
                   DatabaseOutage outage) {
        this.partHeaderLimit = partHeaderLimit.toBytes();
        this.outage = outage;
    }

    private static final Map<Integer, String> DEFAULT_TYPES = Map.of(
            400, "bad-request", 401, "unauthenticated", 403, "forbidden", 404, "not-found",
            405, "method-not-allowed", 406, "not-acceptable", 409, "conflict", 413, "too-large",
            415, "unsupported-media-type", 429, "too-many-requests");

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // A refusal raised while the body was read (one too large, sent in chunks) keeps its own answer.
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof org.springframework.web.ErrorResponseException refusal) {
                return ResponseEntity.status(refusal.getStatusCode()).body(refusal.getBody());
            }
        }
        if (ex.getMostSpecificCause() instanceof MalformedText bad) {
            String field = MalformedText.field(bad);
            ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-text", field + " " + bad.reason() + ".");
            problem.setProperty("field", field);
            return ResponseEntity.badRequest().body(problem);
        }
        if (ex.getMostSpecificCause() instanceof MismatchedInputException wrong && wrong.getTargetType() == String.class
                && !wrong.getPath().isEmpty()) {
            // A number or an object where text belongs: said as a validation error of that field.
            String field = MalformedText.field(wrong);
            ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation", field + ": must be a string.");
            problem.setProperty("errors", List.of(Map.of("field", field, "message", "must be a string")));
            return ResponseEntity.badRequest().body(problem);
        }
        String detail = ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                ? "The request needs a JSON body."
                : "The request body is not valid JSON for this endpoint" + firstLine(ex.getMostSpecificCause());
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", detail));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        FieldError first = ex.getBindingResult().getFieldError();
        String detail = first == null ? "The request is not valid."
                : first.getField() + ": " + first.getDefaultMessage();
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation", detail);
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getAllErrors().stream().findFirst()
                .map(e -> e.getDefaultMessage()).orElse("The request is not valid.");
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "validation", detail));
    }

    // A path id that is not even a UUID names nothing that exists: 404, as for any unknown id.
    // A bad query parameter is the caller's mistake: 400 naming it.
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
        boolean pathId = ex.getParameter().hasParameterAnnotation(
                org.springframework.web.bind.annotation.PathVariable.class);
        if (pathId) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Problems.of(HttpStatus.NOT_FOUND, "not-found",
                    "No object with this id exists for you."));
        }
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "Query parameter '" + ex.getName() + "' has an invalid value."));
    }

    // An upload over the multipart parser's limit for a part (platform/PlatformConfiguration). Tomcat's parser
    // reports a part's headers over server.tomcat.max-part-header-size the same way, and Spring makes both "too
    // large"; a part's headers are that long only when the file's name is, whatever the file's size.
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().startsWith(PART_HEADERS_TOO_LONG)) {
                return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "file-name-too-long",
                        "The file's name is too long: a part's headers, the name among them, may take "
                                + partHeaderLimit + " bytes at most."));
            }
        }
        String limit = ex.getMaxUploadSize() > 0 ? " of " + ex.getMaxUploadSize() + " bytes" : "";
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(Problems.of(HttpStatus.CONTENT_TOO_LARGE,
                "file-too-large", "The file is larger than the limit" + limit + "."));
    }

    // A multipart body that is not one (no boundary, cut short): the client's mistake, never a 500.
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException ex) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body",
                "The request is not a readable multipart/form-data body."));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badArgument(IllegalArgumentException ex) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "bad-request", ex.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, WebRequest request) {
        var fault = StorageFaults.of(ex);
        if (fault.isPresent()) {
            // The database away is logged once for the whole outage; each request that met it only at DEBUG.
            if (!outage.noted(ex, request.getDescription(false))) {
                log.warn("Answered {}: {}", fault.get().slug(), ex.toString());
            }
            return storageFault(fault.get());
        }
        log.error("Unexpected error", ex);
        return ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error", "Something went wrong on the server; it has been logged."));
    }

    /** The answer to a storage fault, from here and from {@link ErrorProblems} for faults met in filters. */
    static ResponseEntity<ProblemDetail> storageFault(StorageFaults.Fault fault) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(fault.status());
        if (fault.retryAfterSeconds() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, fault.retryAfterSeconds().toString());
        }
        return builder.body(Problems.of(fault.status(), fault.slug(), fault.detail()));
    }

    // Spring builds the body of its own exceptions late (inside super), with type about:blank: give each a slug.
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem && (problem.getType() == null
                || "about:blank".equals(problem.getType().toString()))) {
            String slug = DEFAULT_TYPES.getOrDefault(statusCode.value(), "error");
            problem.setType(URI.create(Problems.TYPE_PREFIX + slug));
        }
        return response;
    }

    private static String firstLine(Throwable cause) {
        if (cause == null || cause.getMessage() == null) {
            return ".";
        }
        String message = cause.getMessage().lines().findFirst().orElse("");
        int at = message.indexOf(" at [Source");
        if (at >= 0) {
            message = message.substring(0, at);
        }
        return message.length() > 200 ? ": " + message.substring(0, 200) + "…" : ": " + message;
    }
}
