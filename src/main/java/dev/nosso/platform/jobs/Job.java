package dev.nosso.platform.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.nosso.platform.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as its owner sees it: what it is, how far it got ({@code done} of {@code total} units, such as
 * chunks embedded) and, when it failed, why.
 */
public record Job(UUID id, String kind, JobState state, int done, int total, String error, int attempts,
                  Instant createdAt, Instant updatedAt, @JsonIgnore UUID owner, @JsonIgnore String payload) {

    static Job fromRow(ResultSet rs, int row) throws SQLException {
        return new Job(Rows.uuid(rs, "id"), rs.getString("kind"), JobState.ofWire(rs.getString("state")),
                rs.getInt("progress_done"), rs.getInt("progress_total"), rs.getString("error"),
                rs.getInt("attempts"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"),
                Rows.uuid(rs, "user_id"), rs.getString("payload"));
    }
}
