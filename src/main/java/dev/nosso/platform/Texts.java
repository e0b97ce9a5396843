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

    /**
     * The name of an uploaded file as it is kept: the last part of a path (browsers on some systems send the whole
     * path), stripped, {@code fallback} when nothing is left, at most 255 characters.
     */
    public static String fileName(String name, String fallback) {
        String stripped = name == null ? "" : name.strip();
        stripped = stripped.substring(Math.max(stripped.lastIndexOf('/'), stripped.lastIndexOf('\\')) + 1);
        if (stripped.isEmpty()) {
            stripped = fallback;
        }
        storable("name", stripped);
        return stripped.length() > 255 ? stripped.substring(0, 255) : stripped;
    }
}
