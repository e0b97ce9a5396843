package dev.nosso.retrieval;

import dev.nosso.platform.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a question into a full-text expression. Any word may match (OR): a question's words are not all in
 * the passage that answers it, and the ranking (bm25, ts_rank) puts passages with more of them first. Only
 * letters and digits survive, so no input can inject FTS5 or tsquery syntax. Very common English words are
 * dropped when others remain: with OR, "the" would match nearly everything, and ts_rank has no IDF to
 * discount it.
 */
final class KeywordQuery {

    static final int MAX_WORDS = 32;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> COMMON = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "do", "does",
            "for", "from", "how", "i", "in", "is", "it", "of", "on", "or", "that", "the", "this", "to", "was", "what",
            "when", "where", "which", "who", "why", "with", "you", "can", "did", "has", "have", "my", "me", "we",
            "about", "there", "their", "its", "were", "been", "will", "would", "should", "could", "not", "no");

    private KeywordQuery() {
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find() && words.size() < MAX_WORDS) {
            if (!words.contains(m.group())) {
                words.add(m.group());
            }
        }
        return words;
    }

    /** The words a search looks for: without the very common ones, unless nothing else remains. */
    static List<String> kept(List<String> words) {
        List<String> kept = words.stream().filter(w -> !COMMON.contains(w)).toList();
        return kept.isEmpty() ? words : kept;
    }

    /** The expression for FTS5 {@code MATCH} or PostgreSQL {@code to_tsquery('simple', ...)}; words not empty. */
    static String expression(List<String> words, Dialect dialect) {
        List<String> used = kept(words);
        return switch (dialect) {
            case SQLITE -> used.stream().map(w -> "\"" + w + "\"").collect(Collectors.joining(" OR "));
            case POSTGRESQL -> used.stream().collect(Collectors.joining(" | "));
        };
    }
}
