package dev.nosso.retrieval;

import com.knuddels.jtokkit.api.IntArrayList;
import dev.nosso.platform.Tokens;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a text into chunks of at most {@code maxTokens} tokens, following its structure: Markdown headings
 * first (each chunk keeps its heading path, "A > B > C"), then paragraphs, then sentences, then words; a
 * chunk never spans two sections. Consecutive chunks of a section share about {@code overlapTokens} tokens,
 * so a fact cut at a boundary is still whole in one of them. Tokens are counted with cl100k, which counts
 * somewhat fewer tokens than the embedding models' word pieces; the budget leaves room for that.
 */
final class Chunker {

    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n");
    private static final String SEPARATOR = "\n\n";

    // Read at each use, not kept in a field: the vocabulary (megabytes, a third of a second to load) then loads
    // with the first text chunked, not at start-up.

    private final int maxTokens;
    private final int overlapTokens;

    /** A piece of a text: its place in the text, its heading path, its text and its size in tokens. */
    record Chunk(int ordinal, String headingPath, String text, int tokenCount) {
    }

    Chunker(int maxTokens, int overlapTokens) {
        if (maxTokens < 16) {
            throw new IllegalArgumentException("maxTokens must be at least 16, got " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException("overlapTokens must be between 0 and maxTokens / 2, got " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
    }

    static int countTokens(String text) {
        return text.isEmpty() ? 0 : Tokens.CL100K.countTokensOrdinary(text);
    }

    List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return chunks;
        }
        for (Section section : sections(text.replace("\r\n", "\n"))) {
            for (String piece : pack(units(section.body()))) {
                chunks.add(new Chunk(chunks.size(), section.headingPath(), piece, countTokens(piece)));
            }
        }
        return chunks;
    }

    private record Section(String headingPath, String body) {
    }

    /** Splits at Markdown headings (outside code fences), keeping the path of headings above each part. */
    private static List<Section> sections(String text) {
        List<Section> sections = new ArrayList<>();
        List<String> path = new ArrayList<>();   // heading titles by level, index 0 = level 1
        StringBuilder body = new StringBuilder();
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
            }
            Matcher heading = inFence ? null : HEADING.matcher(line);
            if (heading != null && heading.matches() && !heading.group(2).isBlank()) {
                addSection(sections, path, body);
                int level = heading.group(1).length();
                while (path.size() >= level) {
                    path.removeLast();
                }
                while (path.size() < level - 1) {
                    path.add("");          // a skipped level (# then ###) leaves no empty step in the path
                }
                path.add(heading.group(2).strip());
                body.setLength(0);
            } else {
                body.append(line).append('\n');
            }
        }
        addSection(sections, path, body);
        return sections;
    }

    private static void addSection(List<Section> sections, List<String> path, StringBuilder body) {
        if (!body.toString().isBlank()) {
            String headingPath = String.join(" > ", path.stream().filter(s -> !s.isEmpty()).toList());
            sections.add(new Section(headingPath, body.toString().strip()));
        }
    }

    /** A section's paragraphs, each cut into sentences (and those into words) only where it is too long. */
    private List<String> units(String body) {
        List<String> units = new ArrayList<>();
        for (String paragraph : BLANK_LINES.split(body)) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (countTokens(p) <= maxTokens) {
                units.add(p);
                continue;
            }
            for (String sentence : sentences(p)) {
                if (countTokens(sentence) <= maxTokens) {
                    units.add(sentence);
                } else {
                    units.addAll(byWords(sentence));
                }
            }
        }
        return units;
    }

    private static List<String> sentences(String paragraph) {
        List<String> sentences = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(paragraph);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = paragraph.substring(start, end).strip();
            if (!s.isEmpty()) {
                sentences.add(s);
            }
        }
        return sentences;
    }

    /** Greedy word packing for a sentence over the budget; a single overlong "word" is cut by tokens. */
    private List<String> byWords(String sentence) {
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : sentence.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (countTokens(word) > maxTokens) {
                flush(pieces, current);
                pieces.addAll(byTokens(word));
                continue;
            }
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (countTokens(candidate) > maxTokens) {
                flush(pieces, current);
                current.append(word);
            } else {
                current.setLength(0);
                current.append(candidate);
            }
        }
        flush(pieces, current);
        return pieces;
    }

    private List<String> byTokens(String word) {
        List<String> pieces = new ArrayList<>();
        IntArrayList tokens = Tokens.CL100K.encodeOrdinary(word);
        for (int from = 0; from < tokens.size(); ) {
            // Decoding a slice may cut a multi-byte character; shrink the slice until it fits after decoding.
            int to = Math.min(tokens.size(), from + maxTokens);
            String piece = decode(tokens, from, to);
            while (to - from > 1 && countTokens(piece) > maxTokens) {
                to--;
                piece = decode(tokens, from, to);
            }
            if (!piece.isBlank()) {
                pieces.add(piece);
            }
            from = to;
        }
        return pieces;
    }

    private static String decode(IntArrayList tokens, int from, int to) {
        IntArrayList slice = new IntArrayList(to - from);
        for (int i = from; i < to; i++) {
            slice.add(tokens.get(i));
        }
        return Tokens.CL100K.decode(slice);
    }

    private static void flush(List<String> pieces, StringBuilder current) {
        if (!current.isEmpty()) {
            pieces.add(current.toString());
            current.setLength(0);
        }
    }

    /** Packs units (each within budget) into chunks within budget, each new chunk opening with the last one's tail. */
    private List<String> pack(List<String> units) {
        List<String> chunks = new ArrayList<>();
        String current = "";
        for (String unit : units) {
            String candidate = current.isEmpty() ? unit : current + SEPARATOR + unit;
            if (countTokens(candidate) <= maxTokens) {
                current = candidate;
                continue;
            }
            chunks.add(current);
            String overlap = tail(current);
            String opened = overlap.isEmpty() ? unit : overlap + " " + unit;
            current = countTokens(opened) <= maxTokens ? opened : unit;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** The last words of a chunk, up to {@code overlapTokens} tokens. */
    private String tail(String chunk) {
        if (overlapTokens == 0) {
            return "";
        }
        String[] words = chunk.split("\\s+");
        int start = words.length;
        while (start > 0) {
            String candidate = String.join(" ", java.util.Arrays.asList(words).subList(start - 1, words.length));
            if (countTokens(candidate) > overlapTokens) {
                break;
            }
            start--;
        }
        return start == words.length ? "" : String.join(" ", java.util.Arrays.asList(words).subList(start, words.length));
    }
}
