package dev.nosso.provider;

import java.util.EnumMap;
import java.util.Map;

/** The wire client for each kind of connection. */
final class ProviderClients {

    private final Map<ConnectionKind, ProviderClient> byKind;

    ProviderClients(Map<ConnectionKind, ProviderClient> byKind) {
        this.byKind = new EnumMap<>(byKind);
        for (ConnectionKind kind : ConnectionKind.values()) {
            if (!this.byKind.containsKey(kind)) {
                throw new IllegalArgumentException("No client for " + kind.wire() + " connections");
            }
        }
    }

    ProviderClient of(ConnectionKind kind) {
        return byKind.get(kind);
    }
}
