package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private final Chunker chunker = new Chunker(300, 30);

    @Test
    void aShortTextIsOneChunkWithNoHeadingPath() {
        List<Chunker.Chunk> chunks = chunker.split("Nosso keeps every message.\n\nIt never loses one.");

        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.headingPath()).isEmpty();
            assertThat(c.text()).isEqualTo("Nosso keeps every message.\n\nIt never loses one.");
            assertThat(c.ordinal()).isZero();
            assertThat(c.tokenCount()).isPositive();
        });
    }

    @Test
    void blankTextGivesNoChunks() {
        assertThat(chunker.split("")).isEmpty();
        assertThat(chunker.split("   \n\n  ")).isEmpty();
        assertThat(chunker.split(null)).isEmpty();
    }

    @Test
    void headingsSplitTheTextAndEachChunkKeepsItsPath() {
        String text = """
                Intro before any heading.

                # Guide
                ## Install
                Run the jar.
                ### Docker
                Use the image.
                ## Configure
                Set NOSSO_DATA_DIR.
                # Empty section
                """;

        List<Chunker.Chunk> chunks = chunker.split(text);

        assertThat(chunks).extracting(Chunker.Chunk::headingPath)
                .containsExactly("", "Guide > Install", "Guide > Install > Docker", "Guide > Configure");
        assertThat(chunks).extracting(Chunker.Chunk::text)
                .containsExactly("Intro before any heading.", "Run the jar.", "Use the image.", "Set NOSSO_DATA_DIR.");
        assertThat(chunks).extracting(Chunker.Chunk::ordinal).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aHashInsideACodeFenceIsNotAHeading() {
        String text = "# Script\n```\n# a comment\necho hi\n```\n";

        assertThat(chunker.split(text)).singleElement()
                .satisfies(c -> assertThat(c.headingPath()).isEqualTo("Script"))
                .satisfies(c -> assertThat(c.text()).contains("# a comment"));
    }

    @Test
    void aLongSectionIsCutAtParagraphsIntoChunksWithinTheBudgetThatOverlap() {
        String text = IntStream.range(0, 40)
                .mapToObj(i -> "Paragraph " + i + " says something about topic " + i + " in a few more words than that.")
                .collect(Collectors.joining("\n\n"));

        List<Chunker.Chunk> chunks = chunker.split(text);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.tokenCount()).isBetween(1, 300);
            assertThat(Chunker.countTokens(c.text())).isEqualTo(c.tokenCount());
        });
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String tail = previous.substring(previous.length() - 20);
            assertThat(chunks.get(i).text()).as("chunk %d opens with the end of the one before", i).contains(tail);
        }
        assertThat(chunks.getLast().text()).contains("Paragraph 39");
    }

    @Test
    void aParagraphTooLongIsCutAtSentencesAndASentenceTooLongAtWords() {
        String sentences = IntStream.range(0, 60).mapToObj(i -> "Sentence number " + i + " is here.")
                .collect(Collectors.joining(" "));
        String oneSentence = IntStream.range(0, 800).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        String blob = "x".repeat(5000);

        for (String text : List.of(sentences, oneSentence, blob)) {
            List<Chunker.Chunk> chunks = chunker.split(text);
            assertThat(chunks).hasSizeGreaterThan(1);
            assertThat(chunks).allSatisfy(c -> {
                assertThat(c.text()).isNotBlank();
                assertThat(Chunker.countTokens(c.text())).isLessThanOrEqualTo(300);
            });
        }
        assertThat(chunker.split(sentences).getFirst().text()).endsWith(".");
    }

    @Test
    void noOverlapWhenItIsZero() {
        Chunker noOverlap = new Chunker(20, 0);
        String text = IntStream.range(0, 10).mapToObj(i -> "Short sentence " + i + ".")
                .collect(Collectors.joining("\n\n"));

        List<Chunker.Chunk> chunks = noOverlap.split(text);

        String joined = chunks.stream().map(Chunker.Chunk::text).collect(Collectors.joining("\n\n"));
        assertThat(joined).isEqualTo(text);
    }
}
