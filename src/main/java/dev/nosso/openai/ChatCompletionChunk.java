package dev.nosso.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One {@code data:} event of a streamed completion, as OpenAI sends them: the first carries the role, the
 * next ones a piece of text each, the last of the choice its {@code finish_reason}; with
 * {@code stream_options.include_usage} a final one has no choice and the usage.
 */
record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                           @JsonInclude(JsonInclude.Include.NON_NULL) TokenUsage usage) {

    private static final String OBJECT = "chat.completion.chunk";

    static ChatCompletionChunk role(ChatCompletions.Call call) {
        return of(call, new Delta("assistant", ""), null);
    }

    static ChatCompletionChunk content(ChatCompletions.Call call, String text) {
        return of(call, new Delta(null, text), null);
    }

    static ChatCompletionChunk finish(ChatCompletions.Call call, String finishReason) {
        return of(call, new Delta(null, null), finishReason);
    }

    static ChatCompletionChunk usage(ChatCompletions.Call call, TokenUsage usage) {
        return new ChatCompletionChunk(call.id(), OBJECT, call.created(), call.model(), List.of(), usage);
    }

    private static ChatCompletionChunk of(ChatCompletions.Call call, Delta delta, String finishReason) {
        return new ChatCompletionChunk(call.id(), OBJECT, call.created(), call.model(),
                List.of(new Choice(0, delta, null, finishReason)), null);
    }

    record Choice(int index, Delta delta, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** Only what changed: the role once, then text; the last delta is empty. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {
    }
}
