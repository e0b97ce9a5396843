package dev.nosso.knowledge;

import dev.nosso.platform.jobs.JobFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        } catch (SAXException e) {
            if (!(e instanceof MarkdownWriter.Full)) {
                throw e;
            }
        } catch (org.apache.tika.exception.TikaException e) {
            if (!(e.getCause() instanceof MarkdownWriter.Full)) {
                throw new JobFailure("The file could not be read as " + mediaType + ": " + describe(e), e);
            }
        }
        return new Extracted(writer.text(), writer.truncated());
    }

    private Extracted readText(Path path) throws IOException {
        try (InputStream in = TikaInputStream.get(path)) {
            CharsetDetector detector = new CharsetDetector();
            in.mark(12_000);
            byte[] head = in.readNBytes(12_000);
            in.reset();
            detector.setText(head);
            var match = detector.detect();
            java.nio.charset.Charset charset = match == null ? java.nio.charset.StandardCharsets.UTF_8
                    : java.nio.charset.Charset.forName(match.getName());
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            boolean truncated = false;
            try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(in, charset))) {
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
            return new Extracted(text.toString().replace("\0", "").replace("\r\n", "\n").strip(), truncated);
        }
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
