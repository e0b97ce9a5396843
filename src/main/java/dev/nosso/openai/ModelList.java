package dev.nosso.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nosso.preset.Preset;
import dev.nosso.provider.Model;
import java.util.List;

/** {@code GET /v1/models} as OpenAI answers it: {@code {"object": "list", "data": [model, ...]}}. */
record ModelList(String object, List<Entry> data) {

    /** The providers' models, then the presets the caller may use. */
    static ModelList of(List<Model> models, List<Preset> presets, long created) {
        return new ModelList("list", java.util.stream.Stream.concat(models.stream().map(m -> Entry.of(m, created)),
                presets.stream().map(p -> Entry.of(p, created))).toList());
    }

    /**
     * One model, owned by the connection that serves it.
     *
     * @param created Unix seconds; providers do not tell when a model was made, so this is when the server started
     */
    record Entry(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {

        static Entry of(Model model, long created) {
            return new Entry(model.id(), "model", created, model.connectionName());
        }

        /** A preset: owned by "nosso" when published for everyone, by "user" when it is the caller's own. */
        static Entry of(Preset preset, long created) {
            return new Entry(preset.modelId(), "model", preset.createdAt() == null ? created
                    : preset.createdAt().getEpochSecond(), preset.mine() && !preset.published() ? "user" : "nosso");
        }
    }
}
