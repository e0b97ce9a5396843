package dev.nosso.preset;

import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A preset as the caller sees it.
 *
 * @param modelId       the name the OpenAI-compatible API knows it by: {@code preset:} and its name
 * @param model         the model a chat or a completion started from it uses
 * @param systemPrompt  null for none (the user's default applies in a chat)
 * @param temperature   null leaves it to the provider
 * @param maxTokens     the longest answer; null leaves it to the provider
 * @param collectionIds collections of the owner's that answers are grounded on; always empty on a published one
 * @param memory        whether answers search the user's past conversations
 * @param published     offered to everyone by an administrator
 * @param mine          whether the caller owns it (and may change it)
 */
public record Preset(UUID id, String name, String modelId, String model, String systemPrompt, Double temperature,
                     Integer maxTokens, List<UUID> collectionIds, boolean memory, boolean published, boolean mine,
                     Instant createdAt, Instant updatedAt) {

    /** The prefix that tells a preset from a provider's model in the OpenAI-compatible API. */
    public static final String MODEL_PREFIX = "preset:";

    static final String COLUMNS = "p.id, p.user_id, p.name, p.model, p.system_prompt, p.temperature, p.max_tokens, "
            + "p.memory, p.published, p.created_at, p.updated_at";

    static Preset fromRow(ResultSet rs, UUID caller) throws SQLException {
        String name = rs.getString("name");
        return new Preset(Rows.uuid(rs, "id"), name, MODEL_PREFIX + name, rs.getString("model"),
                rs.getString("system_prompt"), rs.getObject("temperature") == null ? null : rs.getDouble("temperature"),
                rs.getObject("max_tokens") == null ? null : rs.getInt("max_tokens"), List.of(),
                rs.getBoolean("memory"), rs.getBoolean("published"), caller.equals(Rows.uuid(rs, "user_id")),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    Preset withCollections(List<UUID> ids) {
        return new Preset(id, name, modelId, model, systemPrompt, temperature, maxTokens, List.copyOf(ids), memory,
                published, mine, createdAt, updatedAt);
    }
}
