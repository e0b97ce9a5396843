package dev.nosso.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.nosso.platform.MalformedText;
import dev.nosso.platform.Texts;
import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;
import org.springframework.web.ErrorResponseException;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * What an uploaded file brings, for {@code HostileInputFuzzTest}: the text Tika hands the Markdown writer, in
 * any order of elements, and the name the file is uploaded under, kept, typed by its extension and sent back
 * in a Content-Disposition header.
 */
public final class KnowledgeFuzzTargets {

    private static final String[] ELEMENTS = {"h1", "h2", "h6", "p", "div", "li", "ul", "ol", "td", "th", "tr",
            "table", "pre", "br", "head", "script", "style", "title", "blockquote", "section", "span", "H3"};

    private KnowledgeFuzzTargets() {
    }

    /** Tika's SAX events, balanced or not, with any characters, into a writer with a small limit. */
    public static void markdown(FuzzedDataProvider data) {
        MarkdownWriter writer = new MarkdownWriter(data.consumeInt(1, 4096));
        try {
            while (data.remainingBytes() > 0) {
                String element = data.pickValue(ELEMENTS);
                switch (data.consumeInt(0, 2)) {
                    case 0 -> writer.startElement("", element, element, new AttributesImpl());
                    case 1 -> writer.endElement("", element, element);
                    default -> {
                        char[] text = data.consumeString(64).toCharArray();
                        writer.characters(text, 0, text.length);
                    }
                }
            }
        } catch (MarkdownWriter.Full expected) {
            assertThat(writer.truncated()).isTrue();
        } catch (SAXException e) {
            throw new AssertionError(e);
        }
        assertThat(writer.text()).doesNotContain("\0");
    }

    /** A name as a client may give it: kept short, printable, one path part, and sent back as it is kept. */
    public static void fileName(FuzzedDataProvider data) {
        String given = data.consumeRemainingAsString();
        String kept;
        try {
            kept = Texts.fileName(given, "upload");
        } catch (ErrorResponseException expected) { // a NUL character, refused
            assertThat(given).contains("\0");
            return;
        }
        assertThat(kept).isNotBlank().doesNotContain("/").doesNotContain("\\");
        assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Texts.MAX_FILE_NAME_BYTES);
        assertThat(kept.chars().noneMatch(Character::isISOControl)).as(kept).isTrue();
        assertThat(MalformedText.loneSurrogate(kept)).isEqualTo(-1);
        assertThat(FileTypes.detectName(kept)).isNotBlank();
        String header = ContentDisposition.attachment().filename(kept, StandardCharsets.UTF_8).build().toString();
        assertThat(header).doesNotContain("\r").doesNotContain("\n");
        assertThat(ContentDisposition.parse(header).getFilename()).isEqualTo(kept);
    }
}
