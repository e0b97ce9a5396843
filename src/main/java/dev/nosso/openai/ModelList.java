package dev.nosso.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nosso.provider.Model;
import java.util.List;

/** {@code GET /v1/models} as OpenAI answers it: {@code {"object": "list", "data": [model, ...]}}. */
record ModelList(String object, List<Entry> data) {

    static ModelList of(List<Model> models, long created) {
        return new ModelList("list", models.stream().map(m -> Entry.of(m, created)).toList());
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
    }
}
