package dev.nosso.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import brought in, what it left out and why: the counts its job writes as it goes and its owner reads
 * ({@code GET /api/v1/imports/{id}}). Each attempt of the job counts afresh; a conversation or message that this
 * same import wrote in an earlier attempt counts as imported, not as already there.
 */
final class ImportReport {

    static final int MAX_WARNINGS = 20;

    private String format;
    private int conversations;
    private int chatsCreated;
    private int chatsUpdated;
    private int chatsUnchanged;
    private int messagesImported;
    private int messagesAlreadyThere;
    private final Map<String, Integer> skipped = new TreeMap<>();
    private int charactersReplaced;
    private final List<String> warnings = new ArrayList<>();

    /** The report as stored and served. */
    record View(String format, int conversations, int chatsCreated, int chatsUpdated, int chatsUnchanged,
                int messagesImported, int messagesAlreadyThere, Map<String, Integer> skipped,
                int charactersReplaced, List<String> warnings) {
    }

    synchronized View view() {
        return new View(format, conversations, chatsCreated, chatsUpdated, chatsUnchanged, messagesImported,
                messagesAlreadyThere, Map.copyOf(skipped), charactersReplaced, List.copyOf(warnings));
    }

    synchronized void format(String name) {
        format = name;
    }

    synchronized String format() {
        return format;
    }

    /** A message of the source left out, for a reason such as {@code hidden-system} or {@code tool}. */
    synchronized void skip(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    synchronized void warn(String warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        }
    }

    /** One conversation written: whether its chat is new, got messages or had them all already. */
    synchronized void conversation(boolean created, int imported, int alreadyThere) {
        conversations++;
        if (created) {
            chatsCreated++;
        } else if (imported > 0) {
            chatsUpdated++;
        } else {
            chatsUnchanged++;
        }
        messagesImported += imported;
        messagesAlreadyThere += alreadyThere;
    }

    /**
     * The text as it can be stored: a lone half of a UTF-16 surrogate pair (which no database can store as
     * UTF-8; JSON's {@code \ud83d} alone decodes to one) and a NUL character (PostgreSQL refuses it) each become
     * U+FFFD, the replacement character, and are counted, so the report says how many were replaced.
     */
    String storable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder clean = null;
        int replaced = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                if (clean != null) {
                    clean.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean bad = c == '\0' || Character.isSurrogate(c);
            if (bad && clean == null) {
                clean = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (clean != null) {
                clean.append(bad ? '\uFFFD' : c);
            }
            if (bad) {
                replaced++;
            }
        }
        if (replaced > 0) {
            synchronized (this) {
                charactersReplaced += replaced;
            }
        }
        return clean == null ? text : clean.toString();
    }
}
