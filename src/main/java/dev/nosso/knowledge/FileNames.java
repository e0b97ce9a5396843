package dev.nosso.knowledge;

import dev.nosso.platform.Texts;
import java.nio.charset.StandardCharsets;

/**
 * The name a file is kept under, from the name a client gave. Browsers on some systems send the whole path,
 * so only its last part is the name; control characters become spaces (a name is shown and sent back in a
 * header, where a line break must never get); and a name longer than {@value #MAX_BYTES} bytes of UTF-8
 * (what file systems allow, so a download saves under the same name) is shortened in its middle part, keeping
 * its extension, which says what the file is.
 */
final class FileNames {

    static final int MAX_BYTES = 255;
    private static final int MAX_EXTENSION_BYTES = 16;

    private FileNames() {
    }

    static String stored(String given) {
        String name = given == null ? "" : given;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        Texts.storable("name", name);
        name = printable(name).strip();
        if (name.isEmpty()) {
            return "upload";
        }
        if (utf8Length(name) <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && utf8Length(name.substring(dot)) <= MAX_EXTENSION_BYTES ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - extension.length());
        return cut(stem, MAX_BYTES - utf8Length(extension)).strip() + extension;
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
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
