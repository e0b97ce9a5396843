package dev.nosso.knowledge;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.slf4j.LoggerFactory;
import org.xml.sax.SAXException;

/**
 * The program of a parser process ({@link ParserProcess}): Tika's detectors and parsers run here, in a JVM of
 * their own whose heap is capped, because a small hostile file (a zip or PDF stream that inflates to gigabytes)
 * can make them allocate without bound. Here that ends this process with an {@link OutOfMemoryError}
 * ({@code -XX:+ExitOnOutOfMemoryError}), and the server only loses a worker it starts again.
 *
 * <p>It answers requests one at a time on its standard input and output until its input closes. A request is
 * a kind ({@link #DETECT} or {@link #EXTRACT}), the file's path, its media type and the most characters to
 * keep; an answer is {@link #OK} with the media type, or with the text and whether it was cut, or
 * {@link #FAILED} with a reason that reads well to a user.
 */
public final class ParseWorker {

    static final byte DETECT = 1;
    static final byte EXTRACT = 2;
    static final byte OK = 0;
    static final byte FAILED = 1;

    private final Detector detector = TikaConfig.getDefaultConfig().getDetector();
    private final Parser parser = new AutoDetectParser();

    private ParseWorker() {
    }

    public static void main(String[] args) throws IOException {
        // The answers go to the real standard output; anything a library prints goes to standard error, which
        // the server passes through, so that it cannot corrupt an answer.
        DataOutputStream answers = new DataOutputStream(new BufferedOutputStream(
                new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        quietLogging();
        DataInputStream requests = new DataInputStream(new BufferedInputStream(System.in));
        ParseWorker worker = new ParseWorker();
        while (true) {
            byte kind;
            try {
                kind = requests.readByte();
            } catch (EOFException e) {
                return; // the server let this worker go
            }
            Path path = Path.of(requests.readUTF());
            String mediaType = requests.readUTF();
            int maxChars = requests.readInt();
            worker.answer(kind, path, mediaType, maxChars, answers);
            answers.flush();
        }
    }

    private void answer(byte kind, Path path, String mediaType, int maxChars, DataOutputStream out) throws IOException {
        try {
            if (kind == DETECT) {
                String detected = detect(path);
                out.writeByte(OK);
                out.writeUTF(detected);
            } else {
                MarkdownWriter writer = new MarkdownWriter(maxChars);
                extract(path, mediaType, writer);
                byte[] text = writer.text().getBytes(StandardCharsets.UTF_8);
                out.writeByte(OK);
                out.writeBoolean(writer.truncated());
                out.writeInt(text.length);
                out.write(text);
            }
        } catch (Unreadable e) {
            out.writeByte(FAILED);
            out.writeUTF(e.getMessage());
        }
    }

    private String detect(Path path) throws Unreadable {
        try (InputStream in = TikaInputStream.get(path)) {
            return detector.detect(in, new Metadata()).toString();
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("The file could not be read: " + describe(e));
        }
    }

    private void extract(Path path, String mediaType, MarkdownWriter writer) throws Unreadable {
        Metadata metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, mediaType);
        try (InputStream in = TikaInputStream.get(path)) {
            parser.parse(in, writer, metadata, new ParseContext());
        } catch (IOException | SAXException | TikaException | RuntimeException e) {
            // Parsers wrap the writer's stop at the text limit in their own exceptions; the flag is the truth.
            if (!writer.truncated()) {
                throw new Unreadable("The file could not be read as " + mediaType + ": " + describe(e));
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String reason = message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
        return reason.length() > 500 ? reason.substring(0, 500) + "…" : reason; // writeUTF takes 64 KB at most
    }

    /** Parsers log every oddity of a malformed file; only errors are worth the server's log. */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    /** A file the parsers refused, with the reason. */
    private static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason);
        }
    }
}
