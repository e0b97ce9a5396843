package dev.nosso.preset;

import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Texts;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The presets a user sees (their own and the published ones): create, change, delete, and look one up to use it. */
@Service
public class Presets {

    static final int MAX_NAME_CHARS = 80;

    private final PresetRepository presets;
    private final Limits limits;
    private final Clock clock;

    Presets(PresetRepository presets, Limits limits, Clock clock) {
        this.presets = presets;
        this.limits = limits;
        this.clock = clock;
    }

    /** The caller's presets and the published ones, by name. */
    @Transactional(readOnly = true)
    public List<Preset> visible(UUID caller) {
        return presets.visible(caller);
    }

    /** A preset the caller sees; 404 preset-not-found otherwise. */
    @Transactional(readOnly = true)
    public Preset get(UUID caller, UUID id) {
        return presets.find(caller, id).orElseThrow(() -> new NotFound("preset"));
    }

    /**
     * The preset that a model id of the OpenAI-compatible API names ({@code preset:<name>}): the caller's own of
     * that name, else the published one; empty for any other id.
     */
    @Transactional(readOnly = true)
    public Optional<Preset> byModelId(UUID caller, String modelId) {
        if (modelId == null || !modelId.startsWith(Preset.MODEL_PREFIX)) {
            return Optional.empty();
        }
        return presets.byName(caller, modelId.substring(Preset.MODEL_PREFIX.length()));
    }

    @Transactional
    Preset create(UUID caller, boolean admin, PresetInput input) {
        PresetInput p = checked(caller, admin, input);
        boolean published = Boolean.TRUE.equals(p.published());
        UUID id = Ids.next();
        refuseTakenName(caller, id, p.name(), published);
        try {
            presets.insert(caller, id, p, published, clock.instant());
        } catch (DataIntegrityViolationException sameNameMeanwhile) {
            throw nameTaken(p.name(), published);
        }
        presets.setCollections(id, p.collectionIds());
        return get(caller, id);
    }

    /** Replaces the preset's fields: the caller's own, or, for an administrator, any published one. */
    @Transactional
    Preset update(UUID caller, boolean admin, UUID id, PresetInput input) {
        UUID owner = presets.ownerIfChangeable(caller, admin, id).orElseThrow(() -> new NotFound("preset"));
        PresetInput p = checked(owner, admin, input);
        boolean published = p.published() != null ? p.published() : get(caller, id).published();
        if (published && !p.collectionIds().isEmpty()) {
            throw collectionsArePrivate();
        }
        refuseTakenName(owner, id, p.name(), published);
        try {
            presets.update(caller, admin, id, p, published, clock.instant());
        } catch (DataIntegrityViolationException sameNameMeanwhile) {
            throw nameTaken(p.name(), published);
        }
        presets.setCollections(id, p.collectionIds());
        return get(caller, id);
    }

    @Transactional
    void delete(UUID caller, boolean admin, UUID id) {
        if (!presets.delete(caller, admin, id)) {
            throw new NotFound("preset");
        }
    }

    // Checked before the write, so that SQLite (one writer: no race) refuses it as PostgreSQL does; on
    // PostgreSQL two requests at once may both pass, and the unique index then refuses the second.
    private void refuseTakenName(UUID owner, UUID id, String name, boolean published) {
        if (presets.nameTaken(owner, id, name, published)) {
            throw nameTaken(name, published);
        }
    }

    private static org.springframework.web.ErrorResponseException nameTaken(String name, boolean published) {
        return Problems.exception(HttpStatus.CONFLICT, "preset-name-taken", published
                ? "A preset named \"" + name + "\" is already yours or published; choose another name."
                : "You already have a preset named \"" + name + "\"; choose another name.");
    }

    /** The input, stripped and checked field by field; collections must be {@code owner}'s. */
    private PresetInput checked(UUID owner, boolean admin, PresetInput p) {
        if (p == null) {
            throw invalid("A preset needs at least a name and a model.");
        }
        String name = Texts.storable("name", p.name()) == null ? "" : p.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            throw invalid("name must be 1 to " + MAX_NAME_CHARS + " characters, without control characters.");
        }
        String model = Texts.storable("model", p.model()) == null ? "" : p.model().strip();
        if (model.isEmpty() || model.length() > 200) {
            throw invalid("model must be 1 to 200 characters.");
        }
        String prompt = Texts.storable("systemPrompt", p.systemPrompt());
        if (prompt != null && prompt.length() > limits.maxMessageChars()) {
            throw invalid("systemPrompt is longer than " + limits.maxMessageChars() + " characters.");
        }
        if (p.temperature() != null && !(p.temperature() >= 0 && p.temperature() <= 2)) {
            throw invalid("temperature must be between 0 and 2.");
        }
        if (p.maxTokens() != null && (p.maxTokens() < 1 || p.maxTokens() > 1_000_000)) {
            throw invalid("maxTokens must be between 1 and 1000000.");
        }
        if (Boolean.TRUE.equals(p.published()) && !admin) {
            throw Problems.exception(HttpStatus.FORBIDDEN, "admin-only", "Only an administrator publishes presets.");
        }
        Set<UUID> collections = new LinkedHashSet<>(p.collectionIds() == null ? List.of() : p.collectionIds());
        collections.remove(null);
        if (!collections.isEmpty()) {
            if (Boolean.TRUE.equals(p.published())) {
                throw collectionsArePrivate();
            }
            if (presets.ownedCollections(owner, collections) != collections.size()) {
                throw new NotFound("collection");
            }
        }
        return new PresetInput(name, model, prompt == null || prompt.isBlank() ? null : prompt, p.temperature(),
                p.maxTokens(), List.copyOf(collections), Boolean.TRUE.equals(p.memory()), p.published());
    }

    private static org.springframework.web.ErrorResponseException collectionsArePrivate() {
        return Problems.exception(HttpStatus.BAD_REQUEST, "published-preset-collections",
                "A published preset cannot name collections: collections are private to their owner. "
                        + "Remove them before publishing.");
    }

    private static org.springframework.web.ErrorResponseException invalid(String detail) {
        return Problems.exception(HttpStatus.BAD_REQUEST, "validation", detail);
    }
}
