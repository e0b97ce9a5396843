package dev.nosso.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nosso.platform.MalformedText;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/chat/completions} as OpenAI defines it, reduced to what a text model served
 * here can honour. Other fields (tools, logprobs, response_format, seed, ...) are ignored rather than
 * refused, as OpenAI's clients send many of them by default; only what would change the answer's meaning
 * beyond repair (several choices, images) is refused.
 *
 * @param maxCompletionTokens OpenAI's newer name for {@code max_tokens}; wins when both are given
 * @param user                accepted and ignored: the API key already says who asks
 * @param collectionIds       Nosso's own: ground the answer on the key owner's files in these collections
 * @param fileIds             Nosso's own: ground the answer on these files of the key owner's
 * @param memory              Nosso's own: ground the answer on the key owner's past messages
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ChatCompletionRequest(String model, List<InputMessage> messages, Double temperature,
                             @JsonProperty("max_tokens") Integer maxTokens,
                             @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
                             Boolean stream, @JsonProperty("stream_options") StreamOptions streamOptions,
                             Boolean store, Integer n, String user,
                             @JsonProperty("collection_ids") List<UUID> collectionIds,
                             @JsonProperty("file_ids") List<UUID> fileIds, Boolean memory) {

    /** Whether the request asks for Nosso's grounding on the owner's files or past messages. */
    boolean grounded() {
        return collectionIds != null || fileIds != null || Boolean.TRUE.equals(memory);
    }

    /** @param content a string, or an array of content parts such as {@code {"type": "text", "text": "..."}} */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record InputMessage(String role, JsonNode content) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    boolean streams() {
        return Boolean.TRUE.equals(stream);
    }

    boolean stored() {
        return Boolean.TRUE.equals(store);
    }

    boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /** The request for a provider; every refusal names the field at fault, as OpenAI's do. */
    CompletionRequest toCompletionRequest() {
        if (model == null || model.isBlank()) {
            throw OpenAiError.invalid("model", "missing_required_parameter", "You must provide a model parameter.");
        }
        if (messages == null || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "missing_required_parameter",
                    "messages must be a non-empty array of {role, content}.");
        }
        if (n != null && n != 1) {
            throw OpenAiError.invalid("n", "unsupported_value", "Only one choice per request is supported: n must be 1.");
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw OpenAiError.invalid("temperature", "invalid_value", "temperature must be between 0 and 2.");
        }
        Integer limit = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        if (limit != null && limit < 1) {
            throw OpenAiError.invalid(maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens",
                    "invalid_value", "The longest answer must be at least 1 token.");
        }
        List<PromptMessage> prompt = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            prompt.add(promptMessage(messages.get(i), "messages[" + i + "]"));
        }
        return new CompletionRequest(model.strip(), List.copyOf(prompt), temperature, limit);
    }

    private static PromptMessage promptMessage(InputMessage message, String param) {
        if (message == null) {
            throw OpenAiError.invalid(param, "invalid_value", param + " must be an object with role and content.");
        }
        String role = message.role() == null ? "" : message.role().toLowerCase(Locale.ROOT);
        role = switch (role) {
            case "system", "developer" -> "system"; // "developer" is OpenAI's newer name for the system role
            case "user", "assistant" -> role;
            case "tool", "function" -> throw OpenAiError.invalid(param + ".role", "unsupported_value",
                    "Tool and function messages are not supported here.");
            default -> throw OpenAiError.invalid(param + ".role", "invalid_value",
                    param + ".role must be system, developer, user or assistant.");
        };
        return new PromptMessage(role, text(message.content(), role, param + ".content"));
    }

    private static String text(JsonNode content, String role, String param) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            if (role.equals("assistant")) {
                return ""; // an assistant turn that only called tools has no content
            }
            throw OpenAiError.invalid(param, "missing_required_parameter", param + " is required.");
        }
        if (content.isString()) {
            return wellFormed(content.stringValue(), param);
        }
        if (!content.isArray()) {
            throw OpenAiError.invalid(param, "invalid_type", param + " must be a string or an array of content parts.");
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content) {
            String type = part.path("type").asString("");
            if (!type.equals("text") || !part.path("text").isString()) {
                throw OpenAiError.invalid(param, "unsupported_value", "Only text content parts are supported here, "
                        + "each {\"type\": \"text\", \"text\": \"...\"}" + (type.isEmpty() ? "." : "; not " + type + "."));
            }
            parts.add(wellFormed(part.path("text").stringValue(), param));
        }
        return String.join("\n", parts);
    }

    // Content is read as a tree (a string or parts), which the strict string reading of request bodies does not
    // reach: the same refusal, here.
    private static String wellFormed(String text, String param) {
        int at = MalformedText.loneSurrogate(text);
        if (at >= 0) {
            throw OpenAiError.invalid(param, "invalid_value", param + " holds a lone surrogate (half of a UTF-16 "
                    + "pair) at character " + at + "; it is not text and cannot be stored.");
        }
        return text;
    }
}
