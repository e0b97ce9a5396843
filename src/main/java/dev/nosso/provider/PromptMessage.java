package dev.nosso.provider;

/** One message of a prompt, in the role names every provider understands: system, user, assistant. */
public record PromptMessage(String role, String content) {
}
