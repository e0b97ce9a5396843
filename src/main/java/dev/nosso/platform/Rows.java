package dev.nosso.platform;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads the column types whose storage differs between the databases, in one place: ids are {@code uuid}
 * in PostgreSQL and {@code TEXT} in SQLite; timestamps are epoch milliseconds ({@code BIGINT}) in both.
 * Writes need no help: a {@link UUID} parameter binds as {@code uuid} on PostgreSQL and as its text on SQLite.
 */
public final class Rows {

    private Rows() {
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : UUID.fromString(text);
    }

    /** Binds an id, or SQL NULL of a type both drivers accept for a {@code uuid} or {@code TEXT} column. */
    public static void setUuid(PreparedStatement ps, int index, UUID id) throws SQLException {
        if (id == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setObject(index, id);
        }
    }

    public static void setText(PreparedStatement ps, int index, String text) throws SQLException {
        if (text == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, text);
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
