package dev.nosso.transfer;

import dev.nosso.platform.jobs.JobFailure;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the conversations of an export file one at a time, in the file's order, holding one conversation in
 * memory whatever the file's size. The file is a JSON array of conversations (ChatGPT, Open WebUI), a single
 * conversation object, Nosso's export object, or a zip of ChatGPT's export, whose {@code conversations.json}
 * or {@code conversations-000.json}, {@code -001.json}, … are read in the order of their names. The format is
 * told by the first conversation. A file that is not JSON, or stops in the middle, fails with a
 * {@link JobFailure} saying where.
 */
@Component
class ConversationFile {

    private static final Pattern CHATGPT_ENTRY = Pattern.compile("(^|.*/)conversations(-\\d+)?\\.json");

    private final JsonMapper json;
    private final List<Format> formats;
    private final TransferSettings settings;

    ConversationFile(List<Format> formats, TransferSettings settings) {
        // A conversation is read as a tree from the middle of the stream, with the rest of the file after it.
        this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        this.formats = formats;
        this.settings = settings;
    }

    /** How far the reading is, in bytes of the total that will be read. */
    interface Progress {
        void at(long done, long total);
    }

    /** Reads {@code file}, which its owner calls {@code name} (the name errors give it). */
    void read(Path file, String name, ImportReport report, Consumer<Conversation> each, Progress progress)
            throws IOException {
        if (isZip(file)) {
            readZip(file, report, each, progress);
        } else {
            long size = Files.size(file);
            try (InputStream in = new Counted(Files.newInputStream(file), 0, size, Long.MAX_VALUE, progress)) {
                readJson(in, name, report, each);
            }
        }
    }

    private void readZip(Path file, ImportReport report, Consumer<Conversation> each, Progress progress)
            throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > settings.maxZipEntries()) {
                throw new JobFailure("The zip holds " + zip.size() + " entries; the limit is "
                        + settings.maxZipEntries() + ".");
            }
            List<? extends ZipEntry> entries = zip.stream().filter(e -> !e.isDirectory())
                    .filter(e -> CHATGPT_ENTRY.matcher(e.getName()).matches())
                    .sorted(Comparator.comparing(ZipEntry::getName)).toList();
            if (entries.isEmpty()) {
                throw new JobFailure("The zip holds no conversations.json (nor conversations-000.json, …): "
                        + "is it ChatGPT's export?");
            }
            long total = entries.stream().mapToLong(e -> Math.max(e.getSize(), 0)).sum();
            long done = 0;
            for (ZipEntry entry : entries) {
                // Counted against the limit as they are unpacked: the sizes the zip declares may lie.
                Counted in = new Counted(zip.getInputStream(entry), done, total, settings.maxUnzippedBytes(), progress);
                try (in) {
                    readJson(in, entry.getName(), report, each);
                }
                done = in.position();
            }
        }
    }

    private void readJson(InputStream in, String name, ImportReport report, Consumer<Conversation> each) {
        try (JsonParser parser = json.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                readArray(parser, name, report, each);
            } else if (first == JsonToken.START_OBJECT) {
                readObject(parser, name, report, each);
            } else if (first == null) {
                throw new JobFailure(name + " is empty.");
            } else {
                throw new JobFailure(name + " holds no conversations: it is neither a JSON array nor an object.");
            }
        } catch (StreamReadException e) {
            if (e instanceof UnexpectedEndOfInputException || String.valueOf(e.getOriginalMessage())
                    .startsWith("Unexpected end-of-input")) {
                throw new JobFailure(name + " ends in the middle of a conversation (" + where(e)
                        + "): was it cut short? " + readSoFar(report), e);
            }
            throw new JobFailure(name + " is not valid JSON (" + where(e) + "): " + firstLine(e.getOriginalMessage())
                    + ". " + readSoFar(report), e);
        } catch (JacksonException e) {
            throw new JobFailure(name + " cannot be read: " + firstLine(e.getOriginalMessage()) + ". "
                    + readSoFar(report), e);
        }
    }

    private void readArray(JsonParser parser, String name, ImportReport report, Consumer<Conversation> each) {
        Format format = null;
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new UnexpectedEndOfInputException(parser, null, "the array of conversations is not closed");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new JobFailure(name + ": item " + index + " of the array is not a conversation object.");
            }
            JsonNode conversation = json.readTree(parser);
            if (format == null) {
                format = formatOf(conversation, name);
                report.format(format.name());
            }
            format.read(conversation, report).ifPresent(each);
            index++;
        }
    }

    /**
     * A top-level object: Nosso's export when its first property is {@code format} (its chats are then read one
     * at a time from its {@code chats} array), else one conversation of another format, read whole.
     */
    private void readObject(JsonParser parser, String name, ImportReport report, Consumer<Conversation> each) {
        String property = parser.nextName();
        if ("format".equals(property)) {
            parser.nextToken();
            String declared = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
            if (!NossoFormat.FORMAT.equals(declared)) {
                throw new JobFailure(name + " is an export of the format “" + declared + "”, which Nosso does not read.");
            }
            report.format(NossoFormat.NAME);
            Format nosso = formats.stream().filter(f -> f.name().equals(NossoFormat.NAME)).findFirst().orElseThrow();
            for (String field = parser.nextName(); field != null; field = parser.nextName()) {
                JsonToken value = parser.nextToken();
                if ("chats".equals(field) && value == JsonToken.START_ARRAY) {
                    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                        if (t != JsonToken.START_OBJECT) {
                            throw new JobFailure(name + ": an item of chats is not a chat object.");
                        }
                        nosso.read(json.readTree(parser), report).ifPresent(each);
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new UnexpectedEndOfInputException(parser, null, "the export's object is not closed");
            }
            return;
        }
        ObjectNode conversation = json.createObjectNode();
        for (; property != null; property = parser.nextName()) {
            parser.nextToken();
            conversation.set(property, json.readTree(parser));
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new UnexpectedEndOfInputException(parser, null, "the conversation's object is not closed");
        }
        Format format = formatOf(conversation, name);
        report.format(format.name());
        format.read(conversation, report).ifPresent(each);
    }

    private Format formatOf(JsonNode conversation, String name) {
        Optional<Format> found = formats.stream().filter(f -> f.reads(conversation)).findFirst();
        return found.orElseThrow(() -> new JobFailure(name + " is not an export Nosso reads: its first conversation "
                + "has neither ChatGPT's mapping, nor Open WebUI's chat.history, nor Nosso's messages."));
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static String where(StreamReadException e) {
        var at = e.getLocation();
        return at == null ? "at an unknown place" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String firstLine(String message) {
        String text = message == null ? "unreadable" : message.strip();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static String readSoFar(ImportReport report) {
        int read = report.view().conversations();
        return read == 0 ? "Nothing was imported." : "The " + read + " conversations before it were imported; "
                + "importing the whole file again adds the rest, and only the rest.";
    }

    /**
     * The bytes read so far, reported as progress; past {@code limit} (a zip's entries together) the reading
     * stops with a {@link JobFailure}.
     */
    private static final class Counted extends FilterInputStream {

        private final long total;
        private final long limit;
        private final Progress progress;
        private long position;
        private long reported;

        Counted(InputStream in, long start, long total, long limit, Progress progress) {
            super(in);
            this.position = start;
            this.total = total;
            this.limit = limit;
            this.progress = progress;
        }

        long position() {
            return position;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            position += n;
            if (position > limit) {
                throw new JobFailure("The zip unpacks to more than " + limit + " bytes, the limit (a zip bomb?).");
            }
            if (position - reported >= 1 << 20) {
                reported = position;
                progress.at(position, Math.max(total, position));
            }
        }
    }
}
