package dev.nosso.chat;

import dev.nosso.platform.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns what a user typed into a full-text expression both databases read the same way: every word must
 * match, each as a prefix ("deplo" finds "deployment"). Only letters and digits survive, so no input can
 * inject FTS5 or tsquery syntax.
 */
final class SearchQuery {

    static final int MAX_WORDS = 16;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private SearchQuery() {
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find() && words.size() < MAX_WORDS) {
            words.add(m.group());
        }
        return words;
    }

    /** The expression for {@code MATCH} (FTS5) or {@code to_tsquery('simple', ...)} (PostgreSQL). */
    static String expression(List<String> words, Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> words.stream().map(w -> "\"" + w + "\"*").collect(Collectors.joining(" "));
            case POSTGRESQL -> words.stream().map(w -> w + ":*").collect(Collectors.joining(" & "));
        };
    }
}
