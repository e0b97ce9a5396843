package dev.nosso.provider;

/**
 * An upstream fault: refused, unreachable, timed out, malformed or cut off. The message is a short reason fit
 * to show the user whose answer failed ("The provider answered 503: model is loading"): whatever a provider
 * sent is quoted only through {@link FailureReasons#bounded}, so the message never holds control characters,
 * anything that looks like a key or token, or more than {@value FailureReasons#MAX_CHARS} characters; and it
 * never names the provider's address, which only administrators see (beside the connection, not in here).
 */
public class ProviderFailure extends RuntimeException {

    public ProviderFailure(String reason) {
        super(FailureReasons.bounded(reason));
    }

    public ProviderFailure(String reason, Throwable cause) {
        super(FailureReasons.bounded(reason), cause);
    }
}
