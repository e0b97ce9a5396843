package dev.nosso.knowledge;

import dev.nosso.platform.jobs.JobFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.parser.txt.CharsetDetector;
import org.springframework.stereotype.Component;

/**
 * A file's text, at most {@code maxExtractedChars} characters of it. Markdown and plain text are read here, in
 * the character set their bytes suggest; PDF, DOCX and HTML go through Tika's parsers in a
 * {@link ParserProcesses parser process} under a time and a memory limit, and come out with their headings as
 * Markdown headings.
 */
@Component
class TextExtraction {

    /** The text, and whether it was cut at the character limit. */
    record Extracted(String text, boolean truncated) {
    }

    private static final int SNIFF_BYTES = 64 * 1024;

    private final KnowledgeSettings settings;
    private final ParserProcesses parsers;

    TextExtraction(KnowledgeSettings settings, ParserProcesses parsers) {
        this.settings = settings;
        this.parsers = parsers;
    }

    /** The text of the file at {@code path}; a {@link JobFailure} with the reason when it cannot be read. */
    Extracted extract(Path path, String mediaType) throws InterruptedException {
        if (mediaType.equals(FileTypes.MARKDOWN) || mediaType.equals(FileTypes.TEXT)) {
            try {
                return readText(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read a stored file", e); // the disk, not the file: try again
            }
        }
        try {
            return parsers.extract(path, mediaType, settings.maxExtractedChars());
        } catch (UnreadableFile e) {
            throw new JobFailure(e.getMessage(), e);
        }
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
}
