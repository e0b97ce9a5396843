package dev.nosso.provider;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a provider's failure text safe to store and show: a provider's error body is text that a stranger
 * wrote (a proxy's page, a stack trace, a request echoed back with its headers), so what is kept of it is one
 * line, short, and without anything that looks like a credential.
 */
final class FailureReasons {

    /** The longest reason kept, in characters, the ellipsis included. */
    static final int MAX_CHARS = 200;

    static final String REDACTED = "***";

    // Keys and tokens as providers and proxies echo them: prefixed keys (OpenAI's sk-, ours nsk_, GitHub's,
    // Slack's, GitLab's), AWS key ids, Bearer tokens, and the value after a name that says it is a secret.
    private static final Pattern PREFIXED_KEY = Pattern.compile(
            "\\b(?:sk|rk|pk|nsk|ghp|gho|ghs|glpat|xox[abpr])[-_][A-Za-z0-9._~+/=-]{6,}|\\bAKIA[0-9A-Z]{12,}");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{4,}");
    private static final Pattern NAMED_SECRET = Pattern.compile(
            "(?i)(\\b(?:api[-_ ]?key|access[-_ ]?key|secret|token|password|passwd|authorization|x-api-key)"
                    + "[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',;&}]{3,})");
    // A long unbroken run of letters and digits with both in it is a token of some kind far more often than
    // it is anything a user needs to read (a model name has dots, slashes or colons well before 32 characters).
    private static final Pattern LONG_TOKEN = Pattern.compile("[A-Za-z0-9_-]{32,}");

    private FailureReasons() {
    }

    /** {@code text} on one line, without credentials, at most {@link #MAX_CHARS} characters. */
    static String bounded(String text) {
        String line = text == null ? "" : oneLine(text);
        if (line.isEmpty()) { // nothing printable (found by fuzzing: a reason of control characters only)
            return "The provider failed.";
        }
        line = PREFIXED_KEY.matcher(line).replaceAll(REDACTED);
        line = BEARER.matcher(line).replaceAll("$1 " + REDACTED);
        line = NAMED_SECRET.matcher(line).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        line = LONG_TOKEN.matcher(line).replaceAll(m -> looksLikeToken(m.group()) ? REDACTED : Matcher.quoteReplacement(m.group()));
        return truncate(line, MAX_CHARS);
    }

    /** Control characters, line breaks and lone surrogates become spaces; runs of spaces one. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 4 * MAX_CHARS));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() <= 4 * MAX_CHARS; i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                out.append(c).append(text.charAt(++i));
                space = false;
            } else if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSurrogate(c)
                    || Character.getType(c) == Character.FORMAT) {
                if (!space && !out.isEmpty()) {
                    out.append(' ');
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.toString().strip();
    }

    private static boolean looksLikeToken(String run) {
        return run.chars().anyMatch(Character::isDigit) && run.chars().anyMatch(Character::isLetter);
    }

    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a pair in two
        }
        return text.substring(0, end) + "…";
    }
}
