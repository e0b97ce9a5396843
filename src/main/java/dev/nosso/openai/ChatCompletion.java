package dev.nosso.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nosso.generation.Turn;
import java.util.List;

/** A whole answer, as {@code POST /v1/chat/completions} without {@code stream} returns it. */
record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, TokenUsage usage) {

    static ChatCompletion of(ChatCompletions.Call call, Turn.End end) {
        Choice choice = new Choice(0, new AssistantMessage("assistant", end.message().content(), null), null,
                end.finishReason());
        return new ChatCompletion(call.id(), "chat.completion", call.created(), call.model(), List.of(choice),
                ChatCompletions.usage(end.message()));
    }

    /** {@code logprobs} and {@code refusal} are always null here, but present: OpenAI's clients expect them. */
    record Choice(int index, AssistantMessage message, Object logprobs,
                  @JsonProperty("finish_reason") String finishReason) {
    }

    record AssistantMessage(String role, String content, String refusal) {
    }
}
