package dev.nosso.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.platform.jobs.JobFailure;
import dev.nosso.support.Bombs;
import dev.nosso.support.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Text out of each supported format, headings kept as Markdown, and the limits that protect the server. */
class TextExtractionTest {

    @TempDir
    Path dir;

    private final List<ParserProcesses> started = new ArrayList<>();
    private TextExtraction extraction = extraction(Duration.ofSeconds(30), DataSize.ofMegabytes(256));

    private TextExtraction extraction(Duration timeout, DataSize memory) {
        KnowledgeSettings settings = new KnowledgeSettings(1_000_000, timeout, 10_000, memory, 2);
        ParserProcesses parsers = new ParserProcesses(settings);
        started.add(parsers);
        return new TextExtraction(settings, parsers);
    }

    @AfterEach
    void close() {
        started.forEach(ParserProcesses::destroy);
    }

    private Path file(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void htmlHeadingsBecomeMarkdownHeadingsAndScriptsAndTitlesAreLeftOut() throws Exception {
        Path html = file("page.html", Documents.html("Garden", "The fox digs at dusk."));

        String text = extraction.extract(html, FileTypes.HTML).text();

        assertThat(text).isEqualTo("# Garden\n\nThe fox digs at dusk.");
    }

    @Test
    void pdfAndDocxTextIsExtracted() throws Exception {
        assertThat(extraction.extract(file("a.pdf", Documents.pdf("Quarterly report", "The owl sleeps at noon.")),
                FileTypes.PDF).text()).contains("Quarterly report").contains("The owl sleeps at noon.");
        assertThat(extraction.extract(file("a.docx", Documents.docx("Meeting notes", "The heron fishes at dawn.")),
                FileTypes.DOCX).text()).contains("Meeting notes\n\nThe heron fishes at dawn.");
    }

    @Test
    void markdownAndTextAreReadAsTheyAreInTheirCharacterSet() throws Exception {
        assertThat(extraction.extract(file("a.md", Documents.markdown("Setup", "Run it.")), FileTypes.MARKDOWN).text())
                .isEqualTo("# Setup\n\nRun it.");
        byte[] latin1 = "Café crème brûlée, à la carte, déjà vu, naïve façade, über straße.".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(extraction.extract(file("a.txt", latin1), FileTypes.TEXT).text()).contains("Café crème brûlée");
        byte[] bom = "\uFEFFWith a byte-order mark.".getBytes(StandardCharsets.UTF_8);
        assertThat(extraction.extract(file("bom.txt", bom), FileTypes.TEXT).text()).isEqualTo("With a byte-order mark.");
    }

    @Test
    void textBeyondTheCharacterLimitIsCutAndSaysSo() throws Exception {
        Path big = file("big.txt", "word ".repeat(5_000).getBytes(StandardCharsets.UTF_8));
        Path bigHtml = file("big.html", Documents.html("Big", "word ".repeat(5_000)));

        TextExtraction.Extracted text = extraction.extract(big, FileTypes.TEXT);
        TextExtraction.Extracted html = extraction.extract(bigHtml, FileTypes.HTML);

        assertThat(text.truncated()).isTrue();
        assertThat(text.text().length()).isLessThanOrEqualTo(10_000);
        assertThat(html.truncated()).isTrue();
        assertThat(html.text().length()).isLessThanOrEqualTo(10_000);
        assertThat(extraction.extract(file("small.txt", "small".getBytes(StandardCharsets.UTF_8)), FileTypes.TEXT)
                .truncated()).isFalse();
    }

    @Test
    void aParseThatTakesTooLongIsStoppedWithAReadableReason() throws Exception {
        extraction = extraction(Duration.ofNanos(1), DataSize.ofMegabytes(256));
        Path pdf = file("a.pdf", Documents.pdf("Slow"));

        assertThatThrownBy(() -> extraction.extract(pdf, FileTypes.PDF)).isInstanceOf(JobFailure.class)
                .hasMessageContaining("took longer than the limit");
        // Its process is killed with it: a parse that overran cannot go on beside the job's next try.
        Eventually.within(Duration.ofSeconds(10)).until(() -> parserProcesses().isEmpty());
    }

    private static List<ProcessHandle> parserProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(ParseWorker.class.getName())).toList();
    }

    @Test
    void aFileThatUnpacksBeyondItsMemoryFailsAloneAndTheNextFileIsRead() throws Exception {
        extraction = extraction(Duration.ofSeconds(60), DataSize.ofMegabytes(96));
        Path bomb = Bombs.docx(dir, 300);

        assertThatThrownBy(() -> extraction.extract(bomb, FileTypes.DOCX)).isInstanceOf(JobFailure.class)
                .hasMessageContaining("needed more than the 96 MB of memory");
        assertThat(extraction.extract(file("a.docx", Documents.docx("Notes", "The crane waits.")), FileTypes.DOCX)
                .text()).contains("The crane waits.");
    }

    @Test
    void aCorruptFileFailsWithTheReasonNotAnUnexpectedError() throws Exception {
        Path broken = file("broken.pdf", "%PDF-1.7\ngarbage".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> extraction.extract(broken, FileTypes.PDF)).isInstanceOf(JobFailure.class)
                .hasMessageStartingWith("The file could not be read as application/pdf");
    }
}
