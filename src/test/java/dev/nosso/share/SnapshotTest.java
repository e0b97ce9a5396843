package dev.nosso.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Source;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a snapshot keeps of a branch: pure logic, no server. */
class SnapshotTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final UUID chat = UUID.randomUUID();

    private Message message(UUID id, MessageRole role, String content, MessageStatus status, List<Source> sources) {
        return new Message(id, chat, null, 0, role, content, "m1", status, "upstream at 10.0.0.7 said no", null,
                sources, NOW, NOW);
    }

    @Test
    void aPassageFromAnotherBranchOfTheSameChatIsLeftOutAndPassagesKeepNoIds() {
        UUID question = UUID.randomUUID();
        UUID otherBranch = UUID.randomUUID();
        UUID file = UUID.randomUUID();
        UUID otherChat = UUID.randomUUID();
        List<Source> sources = List.of(
                new Source(1, UUID.randomUUID(), "file", file, "manual.pdf", null, "Intro", "Press the red button.", 0.9),
                new Source(2, UUID.randomUUID(), "message", otherBranch, "This chat", chat, null, "hidden version", 0.8),
                new Source(3, UUID.randomUUID(), "message", question, "This chat", chat, null, "the question", 0.7),
                new Source(4, UUID.randomUUID(), "message", UUID.randomUUID(), "Last week", otherChat, null, "tea", 0.6));

        Snapshot snapshot = Snapshot.of("Title", chat, List.of(
                message(UUID.randomUUID(), MessageRole.SYSTEM, "Be secret.", MessageStatus.COMPLETE, List.of()),
                message(question, MessageRole.USER, "How?", MessageStatus.COMPLETE, List.of()),
                message(UUID.randomUUID(), MessageRole.ASSISTANT, "Like this [1].", MessageStatus.ERROR, sources)));

        assertThat(snapshot.messages()).extracting(Snapshot.SharedMessage::role).containsExactly("user", "assistant");
        Snapshot.SharedMessage answer = snapshot.messages().get(1);
        assertThat(answer.sources()).extracting(Snapshot.SharedSource::n).containsExactly(1, 3, 4);
        assertThat(answer.status()).isEqualTo("error");
        String json = snapshot.toJson();
        assertThat(json).contains("Press the red button.", "manual.pdf")
                .doesNotContain("hidden version", "Be secret.", "10.0.0.7", file.toString(), otherChat.toString(),
                        chat.toString(), question.toString());
        assertThat(Snapshot.fromJson(json)).isEqualTo(snapshot);
    }

    @Test
    void anAnswerStillBeingWrittenIsKeptWithItsTextAsInterrupted() {
        Snapshot snapshot = Snapshot.of("T", chat, List.of(
                message(UUID.randomUUID(), MessageRole.ASSISTANT, "Half an ans", MessageStatus.STREAMING, List.of())));

        assertThat(snapshot.messages().getFirst().status()).isEqualTo("interrupted");
        assertThat(snapshot.messages().getFirst().content()).isEqualTo("Half an ans");
    }
}
