package dev.nosso.chat;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * A file sent with a message, as the message keeps it: enough to show it (a thumbnail for an image) without
 * reading the file's row. The file itself belongs to {@code knowledge}; a file deleted later stays named here.
 */
public record Attachment(UUID id, String name, String mediaType, long size) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Whether it is an image as stored for vision models (re-encoded to PNG or JPEG on upload). */
    public boolean image() {
        return "image/png".equals(mediaType) || "image/jpeg".equals(mediaType);
    }

    static String toJson(List<Attachment> attachments) {
        return attachments == null || attachments.isEmpty() ? null : JSON.writeValueAsString(attachments);
    }

    static List<Attachment> fromJson(String json) {
        return json == null ? List.of() : List.of(JSON.readValue(json, Attachment[].class));
    }
}
