package dev.nosso.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nosso.knowledge.Images;
import dev.nosso.platform.MalformedText;
import dev.nosso.provider.CompletionRequest;
import dev.nosso.provider.PromptMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/chat/completions} as OpenAI defines it, reduced to what a text model served
 * here can honour. Other fields (tools, logprobs, response_format, seed, ...) are ignored rather than
 * refused, as OpenAI's clients send many of them by default; only what would change the answer's meaning
 * beyond repair (several choices, audio, files) is refused. Images come as {@code image_url} parts holding
 * data URLs (a URL to fetch is refused: the server fetches nothing on a client's behalf); each is decoded and
 * encoded again, as an uploaded image is.
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
    CompletionRequest toCompletionRequest(Images images) {
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
            prompt.add(promptMessage(messages.get(i), "messages[" + i + "]", images));
        }
        return new CompletionRequest(model.strip(), List.copyOf(prompt), temperature, limit);
    }

    private static PromptMessage promptMessage(InputMessage message, String param, Images images) {
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
        List<PromptMessage.Image> seen = new ArrayList<>();
        String text = text(message.content(), role, param + ".content", images, seen);
        if (!seen.isEmpty() && !role.equals("user")) {
            throw OpenAiError.invalid(param + ".content", "unsupported_value", "Only user messages may carry images.");
        }
        return new PromptMessage(role, text, seen);
    }

    private static String text(JsonNode content, String role, String param, Images images,
                               List<PromptMessage.Image> seen) {
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
            if (type.equals("image_url")) {
                seen.add(image(part.path("image_url"), param, images));
                continue;
            }
            if (!type.equals("text") || !part.path("text").isString()) {
                throw OpenAiError.invalid(param, "unsupported_value", "Only text and image_url content parts are "
                        + "supported here, each {\"type\": \"text\", \"text\": \"...\"} or {\"type\": \"image_url\", "
                        + "\"image_url\": {\"url\": \"data:image/png;base64,...\"}}" + (type.isEmpty() ? "." : "; not " + type + "."));
            }
            parts.add(wellFormed(part.path("text").stringValue(), param));
        }
        if (seen.size() > images.settings().maxPerMessage()) {
            throw OpenAiError.invalid(param, "too_many_images", "A message may carry at most "
                    + images.settings().maxPerMessage() + " images; this one has " + seen.size() + ".");
        }
        return String.join("\n", parts);
    }

    /** An image part's data URL, decoded, checked and encoded again (PNG or JPEG, no metadata). */
    private static PromptMessage.Image image(JsonNode imageUrl, String param, Images images) {
        // OpenAI takes {"url": ...}; some clients send the URL as a bare string.
        JsonNode url = imageUrl.isString() ? imageUrl : imageUrl.path("url");
        if (!url.isString()) {
            throw OpenAiError.invalid(param, "invalid_value", "An image_url part needs image_url.url.");
        }
        String value = url.stringValue();
        int comma = value.indexOf(',');
        if (!value.regionMatches(true, 0, "data:", 0, 5) || comma < 0
                || !value.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw OpenAiError.invalid(param, "invalid_image_url", "Images must be sent as base64 data URLs "
                    + "(data:image/png;base64,...); this server does not fetch URLs.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(value.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw OpenAiError.invalid(param, "invalid_image", "The image's data URL is not valid base64.");
        }
        try {
            Images.Encoded encoded = images.reencode(bytes);
            return new PromptMessage.Image(encoded.mediaType(), Base64.getEncoder().encodeToString(encoded.bytes()));
        } catch (ErrorResponseException refused) {
            String type = String.valueOf(refused.getBody().getType());
            String code = type.substring(type.lastIndexOf(':') + 1).replace('-', '_');
            throw new OpenAiError(refused.getStatusCode(), OpenAiError.INVALID_REQUEST, param, code,
                    refused.getBody().getDetail());
        }
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
