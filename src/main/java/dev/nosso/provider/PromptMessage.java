package dev.nosso.provider;

import java.util.List;

/**
 * One message of a prompt, in the role names every provider understands: system, user, assistant; with the
 * images a user message shows the model, if any (sent only to a model that can see: see {@link Model#vision}).
 */
public record PromptMessage(String role, String content, List<Image> images) {

    public PromptMessage {
        images = images == null ? List.of() : List.copyOf(images);
    }

    public PromptMessage(String role, String content) {
        this(role, content, List.of());
    }

    /** An image as a provider is sent it: its media type and its bytes in base64. */
    public record Image(String mediaType, String base64) {

        /** As OpenAI's {@code image_url} takes it. */
        String dataUrl() {
            return "data:" + mediaType + ";base64," + base64;
        }
    }
}
