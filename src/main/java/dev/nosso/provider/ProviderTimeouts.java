package dev.nosso.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the provider clients wait.
 *
 * @param connect to open a connection
 * @param listing for a whole model listing, body included (Ollama's per-model {@code /api/show} calls share it)
 * @param idle    with no byte from the provider, before it answers and between two pieces of an answer; a
 *                completion may take as long as it likes while bytes keep coming
 */
record ProviderTimeouts(Duration connect, Duration listing, Duration idle) {

    static final ProviderTimeouts DEFAULTS =
            new ProviderTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(60));

    ProviderTimeouts {
        positive("connect", connect);
        positive("listing", listing);
        positive("idle", idle);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("The " + name + " timeout must be positive, not " + value);
        }
    }
}
