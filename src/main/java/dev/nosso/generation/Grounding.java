package dev.nosso.generation;

import dev.nosso.chat.Messages;
import dev.nosso.chat.Source;
import dev.nosso.retrieval.Passage;
import dev.nosso.retrieval.Retrieval;
import dev.nosso.retrieval.Scope;
import dev.nosso.retrieval.SearchMode;
import dev.nosso.retrieval.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Finds the passages an answer is grounded on: the question (its first {@link SearchRequest#MAX_QUERY_CHARS}
 * characters) is searched, hybrid, within the owner's own files and past messages that the scope names, best
 * first. A question with nothing to search for (no letter or digit) simply gets no sources. A turn sends them
 * in its prompt and saves them on the answer.
 */
@Service
class Grounding {

    private static final Logger log = LoggerFactory.getLogger(Grounding.class);
    private static final int PASSAGES = 8;

    private final Messages messages;
    private final Retrieval retrieval;

    Grounding(Messages messages, Retrieval retrieval) {
        this.messages = messages;
        this.retrieval = retrieval;
    }

    /** The passages for the owner's question, a message stored a moment ago (which is not among them). */
    List<Source> sources(UUID owner, UUID questionId, Scope scope) {
        if (scope.isEmpty() || questionId == null) {
            return List.of();
        }
        return sources(owner, messages.find(owner, questionId).content(), scope, questionId);
    }

    /** The passages for a question's text; {@code skip} is a source id to leave out (the question itself). */
    List<Source> sources(UUID owner, String text, Scope scope, UUID skip) {
        if (scope.isEmpty()) {
            return List.of();
        }
        String query = text.length() > SearchRequest.MAX_QUERY_CHARS
                ? text.substring(0, SearchRequest.MAX_QUERY_CHARS) : text;
        List<Passage> passages;
        try {
            passages = retrieval.search(owner, new SearchRequest(query, PASSAGES, SearchMode.HYBRID, scope));
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
