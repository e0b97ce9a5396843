package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The in-memory text of an answer, read from any offset by readers of any speed. */
class LiveAnswerTest {

    private final LiveAnswer live = new LiveAnswer(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), true);

    @Test
    void aReaderGetsTheTextFromItsOffsetThenTheEnd() throws Exception {
        live.append("Hello");
        live.append(", world");
        AnswerFeed.Read read = live.readFrom(5, Duration.ZERO);
        assertThat(read.text()).isEqualTo(", world");
        assertThat(read.end()).isEqualTo(12);
        assertThat(read.finished()).isNull();

        assertThat(live.readFrom(12, Duration.ofMillis(10)).text()).isEmpty();

        Message end = message("Hello, world!");
        live.append("!");
        live.finish(end, "stop");
        AnswerFeed.Read last = live.readFrom(12, Duration.ofSeconds(1));
        assertThat(last.text()).isEqualTo("!");
        assertThat(last.finished()).isSameAs(end);
    }

    @Test
    void aSlowReaderGetsBiggerPiecesAndTheSameText() throws Exception {
        int pieces = 10_000;
        CountDownLatch started = new CountDownLatch(2);
        List<String> fast = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        Thread fastReader = Thread.ofVirtual().start(() -> readAll(fast, started, 0));
        Thread slowReader = Thread.ofVirtual().start(() -> readAll(slow, started, 5));
        started.await();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            String piece = i + ",";
            expected.append(piece);
            live.append(piece);
        }
        live.finish(message(expected.toString()), "stop");
        fastReader.join();
        slowReader.join();
        assertThat(String.join("", fast)).isEqualTo(expected.toString());
        assertThat(String.join("", slow)).isEqualTo(expected.toString());
        assertThat(slow.size()).isLessThan(pieces); // coalesced, not queued one by one
    }

    @Test
    void onlyNewTextIsDueForACheckpoint() {
        assertThat(live.uncheckpointed()).isNull();
        live.append("abc");
        assertThat(live.uncheckpointed()).isEqualTo("abc");
        live.checkpointed(3);
        assertThat(live.uncheckpointed()).isNull();
        live.append("d");
        assertThat(live.uncheckpointed()).isEqualTo("abcd");
        live.finish(message("abcd"), "stop");
        assertThat(live.uncheckpointed()).isNull(); // the final write has it all
    }

    private void readAll(List<String> into, CountDownLatch started, long pauseMillis) {
        try {
            started.countDown();
            int at = 0;
            while (true) {
                AnswerFeed.Read read = live.readFrom(at, Duration.ofSeconds(5));
                if (!read.text().isEmpty()) {
                    into.add(read.text());
                }
                at = read.end();
                if (read.finished() != null) {
                    return;
                }
                Thread.sleep(pauseMillis); // not a wait: the slow reader's pace, so that text piles up between reads
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private Message message(String text) {
        Instant now = Instant.now();
        return new Message(live.messageId(), live.chatId(), null, 1, MessageRole.ASSISTANT, text, "m",
                MessageStatus.COMPLETE, null, null, java.util.List.of(), now, now);
    }
}
