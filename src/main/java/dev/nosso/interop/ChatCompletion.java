package dev.nosso.interop;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A whole answer, as {@code POST /v1/chat/completions} without {@code stream} returns it. */
record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, TokenUsage usage) {

    static ChatCompletion of(ChatCompletions.Call call, ChatCompletions.Outcome outcome) {
        Choice choice = new Choice(0, new AssistantMessage("assistant", outcome.text(), null), null,
                outcome.finishReason());
        return new ChatCompletion(call.id(), "chat.completion", call.created(), call.request().model(),
                List.of(choice), TokenUsage.of(outcome));
    }

    /** {@code logprobs} and {@code refusal} are always null here, but present: OpenAI's clients expect them. */
    record Choice(int index, AssistantMessage message, Object logprobs,
                  @JsonProperty("finish_reason") String finishReason) {
    }

    record AssistantMessage(String role, String content, String refusal) {
    }
}
