package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.support.Eventually;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BodyInputStreamTest {

    private final BodyInputStream body = new BodyInputStream();
    private int requested;
    private boolean cancelled;

    BodyInputStreamTest() {
        body.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                requested += (int) n;
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        });
    }

    @Test
    void bytesThatArrivedBeforeAFailureAreReadBeforeIt() throws IOException {
        body.onNext(List.of(bytes("data: a\n"), bytes("data: b\n")));
        body.onError(new IOException("connection reset"));

        assertThat(new String(body.readNBytes(16), StandardCharsets.UTF_8)).isEqualTo("data: a\ndata: b\n");
        assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
    }

    @Test
    void aCompleteBodyEndsWithEndOfStreamAndAsksForOneListAtATime() throws IOException {
        body.onNext(List.of(bytes("ab")));
        body.onNext(List.of(bytes("c")));
        body.onComplete();

        assertThat(body.readAllBytes()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(body.read()).isEqualTo(-1);
        assertThat(requested).isEqualTo(3); // on subscribing, then after taking each list
    }

    @Test
    void closingFromAnotherThreadEndsABlockedReadAndCancelsTheBody() throws Exception {
        var read = new FutureTask<>(() -> body.read());
        Thread reader = Thread.ofVirtual().start(read);
        Eventually.within(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.WAITING); // in read()

        body.close();

        assertThat(read.get(1, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(cancelled).isTrue();
    }

    @Test
    void nothingQueuedIsReadAfterClosing() throws IOException {
        body.onNext(List.of(bytes("late")));

        body.close();

        assertThat(body.read()).isEqualTo(-1);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
