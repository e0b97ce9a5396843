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
    void anAppendWithAnExplicitNullParentStartsANewRoot() {
        UUID id = UUID.randomUUID();
        var onActiveLeaf = json.readValue("{\"role\":\"user\",\"content\":\"hi\"}", MessageController.AppendRequest.class)
                .toNewMessage();
        var asRoot = json.readValue("{\"role\":\"user\",\"content\":\"hi\",\"parentId\":null}",
                MessageController.AppendRequest.class).toNewMessage();
        var underParent = json.readValue("{\"role\":\"assistant\",\"content\":\"\",\"parentId\":\"" + id + "\"}",
                MessageController.AppendRequest.class).toNewMessage();

        assertThat(onActiveLeaf.asRoot()).isFalse();
        assertThat(onActiveLeaf.parentId()).isNull();
        assertThat(asRoot.asRoot()).isTrue();
        assertThat(underParent.parentId()).isEqualTo(id);
        assertThat(underParent.role()).isEqualTo(MessageRole.ASSISTANT);
    }
}
