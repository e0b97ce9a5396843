package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.chat.Messages;
import dev.nosso.chat.Source;
import dev.nosso.retrieval.Passage;
import dev.nosso.retrieval.Retrieval;
import dev.nosso.retrieval.SearchMode;
import dev.nosso.retrieval.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Finds the passages a turn is grounded on: the question is searched (hybrid) in the files and past
 * messages the turn names, within the owner's own, best first. A question with nothing to search for
 * (no letter or digit) simply gets no sources.
 */
@Component
class SourceFinder {

    private static final Logger log = LoggerFactory.getLogger(SourceFinder.class);
    static final int PASSAGES = 8;
    private static final int MAX_QUERY = 4_000;

    private final Messages messages;
    private final Retrieval retrieval;

    SourceFinder(Messages messages, Retrieval retrieval) {
        this.messages = messages;
        this.retrieval = retrieval;
    }

    List<Source> find(UUID owner, UUID questionId, Grounding grounding) {
        if (!grounding.any() || questionId == null) {
            return List.of();
        }
        return search(owner, messages.find(owner, questionId).content(), grounding, questionId);
    }

    /** The passages for a question's text; {@code skip} is a source id to leave out (the question itself). */
    List<Source> search(UUID owner, String text, Grounding grounding, UUID skip) {
        if (!grounding.any()) {
            return List.of();
        }
        String query = text.length() > MAX_QUERY ? text.substring(0, MAX_QUERY) : text;
        List<Passage> passages;
        try {
            passages = retrieval.search(owner, new SearchRequest(query, PASSAGES, SearchMode.HYBRID,
                    grounding.fileIds(), null, grounding.files(), grounding.memory()));
        } catch (ErrorResponseException refused) {
            log.debug("No sources for {}: {}", skip, refused.getMessage());
            return List.of();
        }
        List<Source> sources = new ArrayList<>(passages.size());
        for (Passage p : passages) {
            if (p.sourceId().equals(skip)) {
                continue; // the question itself, remembered a moment ago
            }
            sources.add(new Source(sources.size() + 1, p.chunkId(), p.sourceKind().wire(), p.sourceId(),
                    p.sourceName(), p.chatId(), p.headingPath(), p.text(), p.score()));
        }
        return sources;
    }
}
