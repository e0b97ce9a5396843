package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.chat.MessageRole;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A sent message must tell "parentId": null (a new root) from no parentId (the active branch). */
class SendRequestTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private TurnController.SendRequest read(String body) {
        return json.readValue(body, TurnController.SendRequest.class);
    }

    @Test
    void anExplicitNullParentStartsANewRootAndTheRoleDefaultsToUser() {
        UUID id = UUID.randomUUID();
        var onActiveLeaf = read("{\"content\":\"hi\"}").toNewMessage();
        var asRoot = read("{\"role\":\"user\",\"content\":\"hi\",\"parentId\":null}").toNewMessage();
        var underParent = read("{\"role\":\"assistant\",\"content\":\"\",\"parentId\":\"" + id + "\"}")
                .toNewMessage();

        assertThat(onActiveLeaf.asRoot()).isFalse();
        assertThat(onActiveLeaf.parentId()).isNull();
        assertThat(onActiveLeaf.role()).isEqualTo(MessageRole.USER);
        assertThat(asRoot.asRoot()).isTrue();
        assertThat(underParent.parentId()).isEqualTo(id);
        assertThat(underParent.role()).isEqualTo(MessageRole.ASSISTANT);
    }
}
