package dev.nosso.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.nosso.platform.jobs.JobFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An export file as a user uploads it, for {@code HostileInputFuzzTest}: read with every format's reader, it
 * fails only as a {@link JobFailure} (or, for a file that starts like a zip, the zip reader's IOException), and
 * every conversation it yields keeps its promise: messages parents first, each one deeper than its parent.
 */
public final class TransferFuzzTargets {

    private static final ConversationFile FILE = new ConversationFile(
            List.of(new ChatGptFormat(), new OpenWebUiFormat(), new NossoFormat()),
            new TransferSettings(1 << 20, 1 << 20, 16, 500));
    private static final Path INPUT = temporaryFile();

    private TransferFuzzTargets() {
    }

    public static void exportFile(FuzzedDataProvider data) {
        try {
            Files.write(INPUT, data.consumeRemainingAsBytes());
            FILE.read(INPUT, "fuzz.json", new ImportReport(), TransferFuzzTargets::check, (done, total) -> { });
        } catch (JobFailure | IOException expected) {
            // a clear failure of the import, as the job reports it
        }
    }

    private static void check(Conversation conversation) {
        Map<String, Integer> depths = new HashMap<>();
        for (Conversation.Turn turn : conversation.messages()) {
            if (turn.parentId() == null) {
                assertThat(turn.depth()).isZero();
            } else {
                assertThat(depths).as("parents first").containsKey(turn.parentId());
                assertThat(turn.depth()).isEqualTo(depths.get(turn.parentId()) + 1);
            }
            depths.put(turn.id(), turn.depth());
            assertThat(turn.content()).doesNotContain("\0");
        }
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("nosso-fuzz-export", ".json");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
