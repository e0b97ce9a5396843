package dev.nosso.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** PATCH-style bodies must tell "set to null" from "not mentioned"; this pins how they read JSON. */
class PatchBodyTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aChatPatchTellsAnExplicitNullFolderFromAMissingOne() {
        UUID id = UUID.randomUUID();
        var absent = json.readValue("{\"title\":\"x\"}", ChatController.ChatPatch.class).changes();
        var cleared = json.readValue("{\"folderId\":null}", ChatController.ChatPatch.class).changes();
        var set = json.readValue("{\"folderId\":\"" + id + "\"}", ChatController.ChatPatch.class).changes();

        assertThat(absent.folderId()).isNull();
        assertThat(absent.title()).isEqualTo("x");
        assertThat(cleared.folderId()).isEqualTo(Optional.empty());
        assertThat(set.folderId()).contains(id);
    }

    @Test
    void aChatPatchTellsAClearedSystemPromptFromAMissingOne() {
        var absent = json.readValue("{\"title\":\"x\"}", ChatController.ChatPatch.class).changes();
        var cleared = json.readValue("{\"systemPrompt\":null,\"temperature\":null}", ChatController.ChatPatch.class)
                .changes();
        assertThat(absent.systemPrompt()).isNull();
        assertThat(absent.temperature()).isNull();
        assertThat(cleared.systemPrompt()).isEqualTo(Optional.empty());
        assertThat(cleared.temperature()).isEqualTo(Optional.empty());
    }
}
