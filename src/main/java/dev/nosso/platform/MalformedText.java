package dev.nosso.platform;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A string in a request body that is not text: JSON lets {@code "\ud800"} stand alone, but a lone surrogate
 * is no character, and either database would store it as {@code ?} without a word. Refused instead, naming
 * the field (the path is filled in as the exception leaves the reader).
 */
public class MalformedText extends MismatchedInputException {

    MalformedText(JsonParser parser, int at) {
        super(parser, "holds a lone surrogate (half of a UTF-16 pair, such as \\ud800, without the other half) at "
                + "character " + at + "; it is not text and cannot be stored", String.class);
    }

    /** Where a string of the body fails to be text, such as {@code messages[1].content}; "body" for the whole. */
    public static String field(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /** The index of the first lone surrogate in {@code text}, or -1 when it is well-formed UTF-16. */
    public static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The reason without Jackson's location suffix. */
    public String reason() {
        return getOriginalMessage();
    }
}
