package dev.nosso.platform;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Tokens as {@code cl100k_base} counts them, for every model: not exact for each one, but close enough to
 * budget a prompt, size a chunk and count an answer the provider did not count. One encoder for the whole
 * process, since each holds its own copy of the vocabulary (megabytes).
 */
public final class Tokens {

    public static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private Tokens() {
    }

    public static int count(String text) {
        return text == null || text.isEmpty() ? 0 : CL100K.countTokensOrdinary(text);
    }
}
