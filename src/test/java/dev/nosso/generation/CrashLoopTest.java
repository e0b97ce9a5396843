package dev.nosso.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.CrashLoop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A few rounds of {@code kill -9} while an answer streams and a file is ingested ({@link CrashLoop}; the
 * twenty-round run is {@code CrashLoopBench}, in bench/): no user message lost, at most about a checkpoint
 * interval of answer text lost per crash, every answer ended interrupted, every file ready and every job done,
 * and the message trees whole.
 */
class CrashLoopTest {

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Dialect.class)
    void killedAgainAndAgainWhileAnsweringAndIngestingLosesNoQuestionAndNoJob(Dialect dialect) throws Exception {
        CrashLoop.Figures figures = CrashLoop.run(dialect, 2);
        System.out.println("CrashLoopTest " + figures.asMap());

        assertThat(figures.userMessagesLost()).isZero();
        // The checkpoint may trail the client by up to an interval, plus the time the kill takes to land.
        assertThat(figures.maxCharsLostPerCrash()).isLessThanOrEqualTo(figures.checkpointIntervalChars() * 3 / 2);
        assertThat(figures.answersNotInterrupted()).isZero();
        assertThat(figures.filesNotReady()).isZero();
        assertThat(figures.jobsUnfinished()).isZero();
        assertThat(figures.treeFaults()).isZero();
        if (dialect == Dialect.SQLITE) {
            assertThat(figures.integrityCheck()).isEqualTo("ok");
        }
    }
}
