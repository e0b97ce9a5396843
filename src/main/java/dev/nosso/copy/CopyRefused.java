package dev.nosso.copy;

/** A copy that must not start, for a reason running it again would not change; the message says which. */
final class CopyRefused extends Exception {

    CopyRefused(String message) {
        super(message);
    }
}
