package dev.nosso.provider;

import java.util.function.Consumer;

/**
 * What a streamed answer said so far, whichever protocol carried it: the text goes to the consumer as it
 * comes, the counts and the finish reason are kept for the end. Each protocol's reader fills it in.
 */
abstract class StreamedAnswer {

    protected final Endpoint endpoint;
    protected final Consumer<String> onDelta;
    protected Integer promptTokens;
    protected Integer completionTokens;
    protected String finishReason;
    protected boolean done;

    StreamedAnswer(Endpoint endpoint, Consumer<String> onDelta) {
        this.endpoint = endpoint;
        this.onDelta = onDelta;
    }

    boolean done() {
        return done;
    }

    String finishReason() {
        return finishReason;
    }

    /** What was said, ending as the provider said (or as {@code endedAs} says, when given). */
    Completion completion(String endedAs) {
        return new Completion(promptTokens, completionTokens, endedAs != null ? endedAs : finishReason);
    }
}
