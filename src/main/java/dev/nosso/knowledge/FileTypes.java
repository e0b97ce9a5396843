package dev.nosso.knowledge;

import dev.nosso.platform.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Which kind of document a file is, judged by its content. The name only chooses between text formats
 * (Markdown, HTML or plain text look alike to a content sniffer). A name that claims one binary format for
 * content of another kind (a {@code .pdf} that is text, a {@code .docx} that is a PDF) is refused rather
 * than guessed at: such a file is a mistake, or an attempt to slip one format past a check for another.
 */
@Component
class FileTypes {

    static final String PDF = "application/pdf";
    static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    static final String HTML = "text/html";
    static final String MARKDOWN = "text/markdown";
    static final String TEXT = "text/plain";

    // Tika's names for the supported formats and their close relatives, mapped to the one we store.
    private static final Map<String, String> SUPPORTED = Map.ofEntries(
            Map.entry(PDF, PDF), Map.entry(DOCX, DOCX),
            Map.entry(HTML, HTML), Map.entry("application/xhtml+xml", HTML),
            Map.entry(MARKDOWN, MARKDOWN), Map.entry("text/x-web-markdown", MARKDOWN),
            Map.entry("text/x-markdown", MARKDOWN),
            Map.entry(TEXT, TEXT), Map.entry("text/csv", TEXT), Map.entry("text/tab-separated-values", TEXT),
            Map.entry("text/x-log", TEXT), Map.entry("text/x-rst", TEXT), Map.entry("application/json", TEXT),
            Map.entry("text/x-asciidoc", TEXT));

    private static final Set<String> TEXTUAL = Set.of(HTML, MARKDOWN, TEXT);

    /**
     * Tika's detectors, made on the first upload: its default configuration finds and loads every parser of the
     * standard package (POI, PDFBox, jsoup and many more), seconds of start-up and megabytes of classes that a
     * server with no upload never needs. The JVM initialises this class on first use, once, thread-safely.
     */
    private static final class Detectors {
        static final Detector CONTENT = TikaConfig.getDefaultConfig().getDetector();
        // Magic bytes only: reads a bounded prefix of the file, whatever the file is.
        static final Detector MAGIC = TikaConfig.getDefaultConfig().getMimeRepository();
    }

    private final ParserProcesses parsers;

    FileTypes(ParserProcesses parsers) {
        this.parsers = parsers;
    }

    /** The stored media type of the file at {@code path}, or a 415 saying why it is refused. */
    String detect(Path path, String name) {
        String byContent = base(detectContent(path));
        String byName = base(detectName(name));
        String content = SUPPORTED.get(byContent);
        String named = SUPPORTED.get(byName);
        if (byContent.startsWith("text/") || TEXT.equals(content)) {
            // Text: the name tells the text formats apart, which content alone cannot.
            if (named != null && TEXTUAL.contains(named)) {
                return HTML.equals(content) ? HTML : named;
            }
            if (named != null || !(isUnknown(byName) || byName.startsWith("text/"))) {
                throw mismatch(name, byName, byContent);
            }
            if (content == null) {
                throw unsupported(byContent);
            }
            return content;
        }
        if (content == null) {
            throw unsupported(byContent);
        }
        if (!isUnknown(byName) && !content.equals(named)) {
            throw mismatch(name, byName, byContent);
        }
        return content;
    }

    private static boolean isUnknown(String type) {
        return type.equals(MediaType.OCTET_STREAM.toString());
    }

    /** The type the file's first bytes say, without opening any container: how an image is told apart. */
    String magic(Path path) {
        try (InputStream in = TikaInputStream.get(path)) {
            return base(Detectors.MAGIC.detect(in, new Metadata()).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an uploaded file", e);
        }
    }

    /**
     * Text and PDF are known by their first bytes. Anything else may be a container (a zip, an OLE2 file) that
     * Tika opens to tell its kind, and opening one can inflate without bound, so that is done in a parser
     * process.
     */
    private String detectContent(Path path) {
        String byMagic;
        try (InputStream in = TikaInputStream.get(path)) {
            byMagic = base(Detectors.MAGIC.detect(in, new Metadata()).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an uploaded file", e);
        }
        if (byMagic.startsWith("text/") || byMagic.equals(PDF)) {
            return byMagic;
        }
        try {
            return parsers.detect(path);
        } catch (UnreadableFile e) {
            throw Problems.exception(HttpStatus.UNPROCESSABLE_CONTENT, "unreadable-file", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading an uploaded file", e);
        }
    }

    /** The media type a file's name alone suggests ({@code application/octet-stream} when it says nothing). */
    static String detectName(String name) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
        try {
            return Detectors.CONTENT.detect(null, metadata).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base(String type) {
        int semicolon = type.indexOf(';');
        return (semicolon >= 0 ? type.substring(0, semicolon) : type).trim();
    }

    private static RuntimeException unsupported(String type) {
        return Problems.exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-file-type",
                "Files of type " + type + " are not supported; upload PDF, DOCX, HTML, Markdown or plain text.");
    }

    private static RuntimeException mismatch(String name, String byName, String byContent) {
        return Problems.exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "file-type-mismatch",
                "The name '" + name + "' says " + byName + ", but the content is " + byContent + ".");
    }
}
