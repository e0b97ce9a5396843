package dev.nosso.platform;

import org.springframework.http.HttpStatus;

/** Rules every stored text follows, whichever database stores it. */
public final class Texts {

    private Texts() {
    }

    /**
     * Refuses a NUL character: SQLite would keep it, but PostgreSQL cannot store it in a text column, so
     * accepting it would make the same request fail only on PostgreSQL, and break a copy to PostgreSQL.
     */
    public static String storable(String field, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                    field + " contains a NUL character (\\u0000), which cannot be stored.");
        }
        return value;
    }

    /** The most bytes of UTF-8 a kept file name has: what file systems allow, so a download saves under it. */
    public static final int MAX_FILE_NAME_BYTES = 255;
    private static final int MAX_EXTENSION_BYTES = 16;

    /**
     * The name of an uploaded file as it is kept: the last part of a path (browsers on some systems send the whole
     * path); control characters as spaces (a name is sent back in a header, where a line break must never get);
     * stripped; {@code fallback} when nothing is left; and a name over {@value #MAX_FILE_NAME_BYTES} bytes of
     * UTF-8 shortened in its stem, keeping its extension, which says what the file is. A NUL is refused.
     */
    public static String fileName(String name, String fallback) {
        String kept = name == null ? "" : name;
        kept = kept.substring(Math.max(kept.lastIndexOf('/'), kept.lastIndexOf('\\')) + 1);
        storable("name", kept);
        kept = printable(kept).strip();
        if (kept.isEmpty()) {
            return fallback;
        }
        if (utf8Length(kept) <= MAX_FILE_NAME_BYTES) {
            return kept;
        }
        int dot = kept.lastIndexOf('.');
        String extension = dot > 0 && utf8Length(kept.substring(dot)) <= MAX_EXTENSION_BYTES ? kept.substring(dot) : "";
        String stem = kept.substring(0, kept.length() - extension.length());
        return cut(stem, MAX_FILE_NAME_BYTES - utf8Length(extension)).strip() + extension;
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1));
            if (pair) {
                out.append(c).append(name.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The longest start of {@code text} of at most {@code maxBytes} bytes of UTF-8, never half a character. */
    private static String cut(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = utf8Length(Character.toString(codePoint));
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
