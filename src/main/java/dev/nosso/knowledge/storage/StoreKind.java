package dev.nosso.knowledge.storage;

import java.util.Locale;

/** The kinds of {@link FileStore}, as {@code nosso.files.store} and {@code files-move} name them. */
enum StoreKind {
    LOCAL, DATABASE, S3;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static StoreKind ofWire(String wire) {
        for (StoreKind kind : values()) {
            if (kind.wire().equals(wire.strip().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown file store " + wire + " (local, database or s3)");
    }
}
