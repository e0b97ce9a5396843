package dev.nosso.provider;

import java.net.URI;

/**
 * Where one connection's provider listens, with its decrypted key (null when it needs none). Lives only in
 * memory; never logged.
 */
record Endpoint(URI baseUrl, String apiKey) {

    @Override
    public String toString() {
        return "Endpoint[" + baseUrl + "]";
    }
}
