package dev.nosso.transfer;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * An import as its owner sees it: the file, how far its job got, and its report (null until the job starts).
 *
 * @param format {@code chatgpt}, {@code open-webui} or {@code nosso}, once the job has told
 * @param error  why it failed, when it did: the conversations committed before stay, and importing the same
 *               file again adds the rest
 */
record ImportView(UUID id, String name, long size, UUID jobId, Status status, String format,
                  ImportReport.View report, String error, Instant createdAt, Instant updatedAt) {

    /** {@code queued → running → done | failed}. */
    enum Status {
        QUEUED, RUNNING, DONE, FAILED;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }
}
