package dev.nosso.openai;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * A refusal of the OpenAI-compatible API, in OpenAI's own error shape, which is what its clients parse:
 * {@code {"error": {"message", "type", "param", "code"}}}. Their SDKs pick the exception from the status (401
 * unauthorized, 404 not found, ...), so the status matters as much as the body.
 */
class OpenAiError extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";

    private final HttpStatusCode status;
    private final String type;
    private final String param;
    private final String code;

    OpenAiError(HttpStatusCode status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** A field of the request that is missing or has a value this API cannot take. */
    static OpenAiError invalid(String param, String code, String message) {
        return new OpenAiError(HttpStatus.BAD_REQUEST, INVALID_REQUEST, param, code, message);
    }

    /** What OpenAI answers for a model that does not exist or is not the caller's: 404, not 400. */
    static OpenAiError modelNotFound(String model) {
        return new OpenAiError(HttpStatus.NOT_FOUND, INVALID_REQUEST, "model", "model_not_found",
                "The model '" + model + "' does not exist; GET /v1/models lists the models served here.");
    }

    /** The provider behind the model failed: our gateway's fault to report, with the provider's reason. */
    static OpenAiError upstream(String reason) {
        return new OpenAiError(HttpStatus.BAD_GATEWAY, "api_error", null, "upstream_error", reason);
    }

    HttpStatusCode status() {
        return status;
    }

    Body body() {
        return new Body(new Detail(getMessage(), type, param, code));
    }

    record Body(Detail error) {
    }

    record Detail(String message, String type, String param, String code) {
    }
}
