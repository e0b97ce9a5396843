package dev.nosso.provider;

/** The wire protocol a connection speaks. */
enum ConnectionKind {
    /** Any server with OpenAI's {@code /models} and {@code /chat/completions}; its base URL usually ends in {@code /v1}. */
    OPENAI("openai"),
    /** Ollama's own API ({@code /api/tags}, {@code /api/chat}); its base URL is the server's root. */
    OLLAMA("ollama");

    private final String wire;

    ConnectionKind(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    /** @return null for anything but {@code openai} or {@code ollama} */
    static ConnectionKind fromWireOrNull(String value) {
        for (ConnectionKind kind : values()) {
            if (kind.wire.equals(value)) {
                return kind;
            }
        }
        return null;
    }
}
