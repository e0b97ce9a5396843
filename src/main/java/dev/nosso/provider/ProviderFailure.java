package dev.nosso.provider;

/**
 * An upstream fault: refused, unreachable, timed out, malformed or cut off. The message is a readable
 * reason fit to show a user ("The provider answered 503: model is loading"); it never carries a key.
 */
public class ProviderFailure extends RuntimeException {

    public ProviderFailure(String reason) {
        super(reason);
    }

    public ProviderFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
