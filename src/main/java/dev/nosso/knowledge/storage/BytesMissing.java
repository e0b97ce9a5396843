package dev.nosso.knowledge.storage;

import java.io.IOException;

/**
 * The store answered, and holds nothing under the key: the bytes were never stored there (they are in
 * another node's folder, or were not moved to this store), or were removed behind the server's back.
 */
public class BytesMissing extends IOException {

    public BytesMissing(String store, String key) {
        super("The file's bytes are missing from the file store (" + store + "): " + key);
    }
}
