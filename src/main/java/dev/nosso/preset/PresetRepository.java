package dev.nosso.preset;

import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The presets table. A caller sees their own presets and the published ones; changes only their own, or, as
 * an administrator, a published one too (which another administrator may have made). Both rules are inside
 * every statement.
 */
@Repository
class PresetRepository {

    private static final String VISIBLE = "(p.user_id = :caller OR p.published = :yes)";
    private static final String CHANGEABLE = "(user_id = :caller OR (published = :yes AND :admin = :yes))";

    private static final String LIST = "SELECT " + Preset.COLUMNS + " FROM presets p WHERE " + VISIBLE
            + " ORDER BY p.name, p.id";

    private static final String FIND = "SELECT " + Preset.COLUMNS + " FROM presets p WHERE p.id = :id AND " + VISIBLE;

    // The caller's own preset of this name first, else the published one (published names are unique).
    private static final String BY_NAME = "SELECT " + Preset.COLUMNS + " FROM presets p WHERE p.name = :name AND "
            + VISIBLE + " ORDER BY CASE WHEN p.user_id = :caller THEN 0 ELSE 1 END LIMIT 1";

    private static final String INSERT = """
            INSERT INTO presets (id, user_id, name, model, system_prompt, temperature, max_tokens, memory, published,
                                 created_at, updated_at)
            VALUES (:id, :caller, :name, :model, :systemPrompt, :temperature, :maxTokens, :memory, :published, :now, :now)
            """;

    private static final String UPDATE = """
            UPDATE presets SET name = :name, model = :model, system_prompt = :systemPrompt, temperature = :temperature,
                   max_tokens = :maxTokens, memory = :memory, published = :published, updated_at = :now
             WHERE id = :id AND\s""" + CHANGEABLE;

    private static final String DELETE = "DELETE FROM presets WHERE id = :id AND " + CHANGEABLE;

    private static final String NAME_TAKEN = """
            SELECT COUNT(*) FROM presets
             WHERE name = :name AND id <> :id AND (user_id = :owner OR (published = :yes AND :published = :yes))
            """;

    private final JdbcClient jdbc;

    PresetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Preset> visible(UUID caller) {
        return withCollections(jdbc.sql(LIST).param("caller", caller).param("yes", true)
                .query((rs, row) -> Preset.fromRow(rs, caller)).list());
    }

    Optional<Preset> find(UUID caller, UUID id) {
        return jdbc.sql(FIND).param("caller", caller).param("yes", true).param("id", id)
                .query((rs, row) -> Preset.fromRow(rs, caller)).optional()
                .map(p -> withCollections(List.of(p)).getFirst());
    }

    Optional<Preset> byName(UUID caller, String name) {
        return jdbc.sql(BY_NAME).param("caller", caller).param("yes", true).param("name", name)
                .query((rs, row) -> Preset.fromRow(rs, caller)).optional()
                .map(p -> withCollections(List.of(p)).getFirst());
    }

    /** The owner of a changeable preset, for the name check of an update; empty when the caller may not change it. */
    Optional<UUID> ownerIfChangeable(UUID caller, boolean admin, UUID id) {
        return jdbc.sql("SELECT user_id FROM presets WHERE id = :id AND " + CHANGEABLE).param("id", id)
                .param("caller", caller).param("yes", true).param("admin", admin)
                .query((rs, row) -> Rows.uuid(rs, "user_id")).optional();
    }

    /** Whether another preset of the owner's, or (for a published one) another published one, has this name. */
    boolean nameTaken(UUID owner, UUID id, String name, boolean published) {
        return jdbc.sql(NAME_TAKEN).param("name", name).param("id", id).param("owner", owner).param("yes", true)
                .param("published", published).query(Long.class).single() > 0;
    }

    void insert(UUID caller, UUID id, PresetInput p, boolean published, Instant now) {
        bind(jdbc.sql(INSERT), p, published, now).param("id", id).param("caller", caller).update();
    }

    boolean update(UUID caller, boolean admin, UUID id, PresetInput p, boolean published, Instant now) {
        return bind(jdbc.sql(UPDATE), p, published, now).param("id", id).param("caller", caller)
                .param("yes", true).param("admin", admin).update() == 1;
    }

    boolean delete(UUID caller, boolean admin, UUID id) {
        return jdbc.sql(DELETE).param("id", id).param("caller", caller).param("yes", true).param("admin", admin)
                .update() == 1;
    }

    /** How many of these ids are collections of the owner's (the collections table belongs to knowledge). */
    int ownedCollections(UUID owner, Collection<UUID> ids) {
        return jdbc.sql("SELECT count(*) FROM collections WHERE user_id = :owner AND id IN (:ids)")
                .param("owner", owner).param("ids", ids).query(Integer.class).single();
    }

    void setCollections(UUID presetId, Collection<UUID> ids) {
        jdbc.sql("DELETE FROM preset_collections WHERE preset_id = :id").param("id", presetId).update();
        for (UUID collection : ids) {
            jdbc.sql("INSERT INTO preset_collections (preset_id, collection_id) VALUES (:id, :collection)")
                    .param("id", presetId).param("collection", collection).update();
        }
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, PresetInput p, boolean published,
                                                 Instant now) {
        return sql.param("name", p.name()).param("model", p.model()).param("systemPrompt", p.systemPrompt())
                .param("temperature", p.temperature()).param("maxTokens", p.maxTokens())
                .param("memory", Boolean.TRUE.equals(p.memory())).param("published", published)
                .param("now", now.toEpochMilli());
    }

    // Collections of the listed presets in one statement.
    private List<Preset> withCollections(List<Preset> presets) {
        if (presets.isEmpty()) {
            return presets;
        }
        Map<UUID, List<UUID>> byPreset = new HashMap<>();
        jdbc.sql("SELECT preset_id, collection_id FROM preset_collections WHERE preset_id IN (:ids) ORDER BY collection_id")
                .param("ids", presets.stream().map(Preset::id).toList()).query((rs, row) -> {
                    byPreset.computeIfAbsent(Rows.uuid(rs, "preset_id"), k -> new ArrayList<>())
                            .add(Rows.uuid(rs, "collection_id"));
                    return null;
                }).list();
        return presets.stream().map(p -> p.withCollections(byPreset.getOrDefault(p.id(), List.of()))).toList();
    }
}
