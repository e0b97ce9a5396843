package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A thread that dies of running out of memory stops the whole process, instead of leaving it half alive. */
class FatalErrorsTest {

    @Test
    void aThreadThatRunsOutOfMemoryStopsTheProcess() throws Exception {
        Process process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Starved.class.getName()))
                .redirectErrorStream(true).start();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(FatalErrors.EXIT_CODE);
        assertThat(new String(process.getInputStream().readAllBytes())).contains("died of java.lang.OutOfMemoryError");
    }

    /** A process whose one worker thread dies of an {@link OutOfMemoryError}, while its main thread waits on. */
    static final class Starved {
        public static void main(String[] args) throws InterruptedException {
            FatalErrors.stopOnVirtualMachineError();
            Thread.ofPlatform().name("acceptor").start(() -> {
                throw new OutOfMemoryError("Java heap space");
            });
            Thread.sleep(60_000); // were the process to linger, the test's wait would time out
        }
    }
}
