package dev.nosso.knowledge;

import dev.nosso.platform.jobs.JobFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.txt.CharsetDetector;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.xml.sax.SAXException;

/**
 * A file's text, extracted with Tika under two limits: a time limit (the parse runs on a thread of its own,
 * which is abandoned when it takes too long) and a limit on the characters kept. Markdown and plain text are
 * read as they are, in the character set their bytes suggest; PDF, DOCX and HTML go through Tika's parsers
 * and come out with their headings as Markdown headings.
 */
@Component
class TextExtraction implements DisposableBean {

    /** The text, and whether it was cut at the character limit. */
    record Extracted(String text, boolean truncated) {
    }

    private static final int SNIFF_BYTES = 64 * 1024;

    private final KnowledgeSettings settings;
    private final Parser parser = new AutoDetectParser();
    private final ExecutorService parsers = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("nosso-parse-", 0).daemon().factory());

    TextExtraction(KnowledgeSettings settings) {
        this.settings = settings;
    }

    /** The text of the file at {@code path}; a {@link JobFailure} with the reason when it cannot be read. */
    Extracted extract(Path path, String mediaType) throws InterruptedException {
        MarkdownWriter writer = new MarkdownWriter(settings.maxExtractedChars());
        Future<Extracted> parse = parsers.submit(() -> run(path, mediaType, writer));
        try {
            return parse.get(settings.parseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            writer.abandon();
            parse.cancel(true);
            throw new JobFailure("Reading the file took longer than the limit of "
                    + settings.parseTimeout().toSeconds() + " s.");
        } catch (InterruptedException e) {
            writer.abandon();
            parse.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JobFailure failure) {
                throw failure;
            }
            throw new JobFailure("The file could not be read as " + mediaType + ": " + describe(cause), cause);
        }
    }

    private Extracted run(Path path, String mediaType, MarkdownWriter writer) throws IOException, SAXException {
        if (mediaType.equals(FileTypes.MARKDOWN) || mediaType.equals(FileTypes.TEXT)) {
            return readText(path);
        }
        Metadata metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, mediaType);
        try (InputStream in = TikaInputStream.get(path)) {
            parser.parse(in, writer, metadata, new ParseContext());
        } catch (SAXException | TikaException e) {
            // Parsers wrap the writer's stop at the text limit in their own exceptions; the flag is the truth.
            if (!writer.truncated()) {
                throw new JobFailure("The file could not be read as " + mediaType + ": " + describe(e), e);
            }
        }
        return new Extracted(writer.text(), writer.truncated());
    }

    private Extracted readText(Path path) throws IOException {
        try (InputStream in = TikaInputStream.get(path)) {
            in.mark(SNIFF_BYTES);
            byte[] head = in.readNBytes(SNIFF_BYTES);
            in.reset();
            Charset charset = charsetOf(head);
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            boolean truncated = false;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset))) {
                for (int n; (n = reader.read(buffer)) >= 0; ) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IOException("extraction abandoned");
                    }
                    int room = settings.maxExtractedChars() - text.length();
                    if (n > room) {
                        text.append(buffer, 0, room);
                        truncated = true;
                        break;
                    }
                    text.append(buffer, 0, n);
                }
            }
            if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text.deleteCharAt(0); // a byte-order mark is not text
            }
            return new Extracted(text.toString().replace("\0", "").replace("\r\n", "\n").strip(), truncated);
        }
    }

    /**
     * UTF-8 when the bytes are valid UTF-8 (most text today, and the check is exact); otherwise what Tika's
     * detector guesses, except that a Western European single-byte set wins when it is among its close
     * guesses, since short texts make the detector waver between the Latin code pages.
     */
    static Charset charsetOf(byte[] head) {
        if (validUtf8(head)) {
            return StandardCharsets.UTF_8;
        }
        CharsetDetector detector = new CharsetDetector();
        detector.setText(head);
        var matches = detector.detectAll();
        if (matches == null || matches.length == 0) {
            return Charset.forName("windows-1252");
        }
        int best = matches[0].getConfidence();
        for (var match : matches) {
            String name = match.getName();
            if (match.getConfidence() >= best - 25 && (name.equals("ISO-8859-1") || name.equals("windows-1252"))) {
                return Charset.forName("windows-1252");
            }
        }
        try {
            return Charset.forName(matches[0].getName());
        } catch (RuntimeException e) {
            return Charset.forName("windows-1252");
        }
    }

    private static boolean validUtf8(byte[] head) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(head);
        CharBuffer chars = CharBuffer.allocate(head.length + 1);
        var result = decoder.decode(bytes, chars, false); // false: a sequence cut at the end of the sample is fine
        return !result.isError();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    @Override
    public void destroy() {
        parsers.shutdownNow();
    }
}
