package dev.nosso.generation;

import dev.nosso.chat.Source;
import dev.nosso.knowledge.Knowledge;
import dev.nosso.provider.PromptMessage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Grounding for callers that build their own prompt (the OpenAI-compatible API): the same search and the
 * same numbered sources message as a turn's.
 */
@Service
public class Grounder {

    private final Knowledge knowledge;
    private final SourceFinder finder;
    private final PromptBuilder prompts;

    Grounder(Knowledge knowledge, SourceFinder finder, PromptBuilder prompts) {
        this.knowledge = knowledge;
        this.finder = finder;
        this.prompts = prompts;
    }

    /**
     * The sources message for {@code question}, searched in the owner's given files and collections (404 for
     * an id that is not theirs) and, with {@code memory}, past messages; empty when nothing is found.
     *
     * @param maxTokens the most the message may take
     */
    public Optional<PromptMessage> sourcesFor(UUID owner, String question, List<UUID> collectionIds,
                                              List<UUID> fileIds, boolean memory, int maxTokens) {
        boolean files = collectionIds != null || fileIds != null;
        List<UUID> ids = files ? knowledge.fileIdsOf(owner, collectionIds, fileIds) : null;
        List<Source> found = finder.search(owner, question, new Grounding(ids, files, memory), null);
        PromptBuilder.SourceBlock block = prompts.sourceBlock(found, maxTokens);
        return block.sources().isEmpty() ? Optional.empty() : Optional.of(new PromptMessage("system", block.text()));
    }
}
