package dev.nosso.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code usage} object of a completion or of the last chunk of a stream. */
record TokenUsage(@JsonProperty("prompt_tokens") int promptTokens,
                  @JsonProperty("completion_tokens") int completionTokens,
                  @JsonProperty("total_tokens") int totalTokens) {
}
