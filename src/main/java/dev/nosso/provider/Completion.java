package dev.nosso.provider;

/**
 * How a streamed completion ended. The text itself went to the caller's delta sink as it came.
 *
 * @param promptTokens     as reported by the provider, or null when it reported none
 * @param completionTokens as reported by the provider, or null when it reported none
 * @param finishReason     the provider's reason ({@code stop}, {@code length}, ...), or null
 */
public record Completion(Integer promptTokens, Integer completionTokens, String finishReason) {
}
