package dev.nosso.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body read as a stream that hands over every byte received before a failure, and only then the
 * failure. The JDK's {@code BodyHandlers.ofInputStream()} throws as soon as the connection fails, dropping bytes
 * that had arrived but were not read yet: the last pieces of an answer whose provider then went away.
 * {@link #close()} from another thread ends the stream at once: a blocked read returns end-of-stream.
 */
final class BodyInputStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    // Reader's side only.
    private Iterator<ByteBuffer> buffers = Collections.emptyIterator();
    private ByteBuffer current;
    private Object terminal;

    static HttpResponse.BodyHandler<InputStream> handler() {
        return info -> new BodyInputStream();
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (closed) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        items.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        items.add(failure);
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    @Override
    public int read() throws IOException {
        ByteBuffer buffer = next();
        return buffer == null ? -1 : buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        ByteBuffer buffer = next();
        if (buffer == null) {
            return -1;
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(bytes, offset, n);
        return n;
    }

    // What is already here, so that a reader decoding text hands over what it has instead of waiting for more.
    @Override
    public int available() {
        ByteBuffer buffer = current;
        return closed || buffer == null ? 0 : buffer.remaining();
    }

    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        items.add(END); // wakes a reader blocked in take()
    }

    /** The next buffer with bytes left, or null at the end; the failure once the bytes before it are read. */
    @SuppressWarnings("unchecked")
    private ByteBuffer next() throws IOException {
        while (!closed && (current == null || !current.hasRemaining())) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (terminal == null) {
                Object item = take();
                if (item instanceof List<?> list) {
                    buffers = ((List<ByteBuffer>) list).iterator();
                    subscription.request(1);
                    continue;
                }
                terminal = item;
            }
            if (terminal instanceof Throwable failure) {
                throw new IOException(failure.getMessage(), failure);
            }
            return null;
        }
        return closed ? null : current;
    }

    private Object take() throws IOException {
        try {
            return items.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while reading the provider's answer");
        }
    }
}
