package dev.nosso.provider;

import java.util.Optional;

/**
 * A partial update of a connection. A null field is left alone; {@code apiKey} is an {@link Optional} because
 * "remove the key" ({@code "apiKey": null}) differs from "not mentioned".
 */
record ConnectionChanges(String kind, String name, String baseUrl, Optional<String> apiKey, Boolean enabled) {
}
