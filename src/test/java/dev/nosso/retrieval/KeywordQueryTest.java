package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeywordQueryTest {

    @Test
    void onlyLettersAndDigitsSurviveSoNoSyntaxCanBeInjected() {
        List<String> words = KeywordQuery.words("Biscuit's \"cat\" OR NEAR(x) -- 42* | & ! :*");

        assertThat(words).containsExactly("biscuit", "s", "cat", "or", "near", "x", "42");
        assertThat(KeywordQuery.expression(words, Dialect.SQLITE))
                .isEqualTo("\"biscuit\" OR \"s\" OR \"cat\" OR \"near\" OR \"x\" OR \"42\"");
        assertThat(KeywordQuery.expression(words, Dialect.POSTGRESQL)).isEqualTo("biscuit | s | cat | near | x | 42");
    }

    @Test
    void commonWordsAreDroppedUnlessNothingElseIsLeft() {
        assertThat(KeywordQuery.expression(KeywordQuery.words("What is the cat's name?"), Dialect.POSTGRESQL))
                .isEqualTo("cat | s | name");
        assertThat(KeywordQuery.expression(KeywordQuery.words("to be or not to be"), Dialect.POSTGRESQL))
                .isEqualTo("to | be | or | not");
    }

    @Test
    void repeatedWordsCountOnceAndTheWordCountIsCapped() {
        assertThat(KeywordQuery.words("cat Cat CAT")).containsExactly("cat");
        String many = IntStream.range(0, 100).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        assertThat(KeywordQuery.words(many)).hasSize(KeywordQuery.MAX_WORDS);
    }
}
