package dev.nosso.provider;

import java.util.UUID;

/**
 * A model in the catalog.
 *
 * @param id             unique in the catalog; what a chat or a request names
 * @param name           for display
 * @param connectionId   the connection that serves it
 * @param contextLength  in tokens, or null when the provider does not say
 */
public record Model(String id, String name, UUID connectionId, String connectionName, Integer contextLength) {
}
