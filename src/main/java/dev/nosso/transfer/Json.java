package dev.nosso.transfer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/** Reading the loosely typed values exports are made of, without failing on a value of an unexpected type. */
final class Json {

    private Json() {
    }

    /** The string at {@code node}, or null when it is missing, null, blank or not a string. */
    static String text(JsonNode node) {
        return node != null && node.isString() && !node.stringValue().isBlank() ? node.stringValue() : null;
    }

    static boolean flag(JsonNode node) {
        return node != null && node.isBoolean() && node.booleanValue();
    }

    /**
     * A time given as a number since the epoch, in whichever unit the exporter chose (ChatGPT writes seconds with
     * a fraction, Open WebUI seconds or milliseconds, and some exporters micro- or nanoseconds), or as ISO-8601.
     * Null when there is none.
     */
    static Instant time(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            if (value <= 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                return null;
            }
            double millis = value > 1e17 ? value / 1e6 : value > 1e14 ? value / 1e3 : value > 1e11 ? value : value * 1e3;
            return Instant.ofEpochMilli(Math.round(millis));
        }
        String text = text(node);
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
