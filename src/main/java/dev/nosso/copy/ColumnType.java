package dev.nosso.copy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A column as the copy sees it, named by its PostgreSQL type. Each side reads a column into the same Java
 * value (SQLite's text id becomes a {@link UUID}, its 0/1 a {@link Boolean}), so one canonical text serves
 * both checksums. A type not listed here stops the copy before it starts, rather than converting by guess.
 */
enum ColumnType {
    ID, BOOLEAN, INTEGER, TEXT, REAL, BYTES, VECTOR;

    static ColumnType of(String table, String column, String postgresType) {
        return switch (postgresType) {
            case "uuid" -> ID;
            case "boolean" -> BOOLEAN;
            case "smallint", "integer", "bigint" -> INTEGER;
            case "text", "character varying" -> TEXT;
            case "real", "double precision" -> REAL;
            case "bytea" -> BYTES;
            case "vector" -> VECTOR; // pgvector; SQLite keeps the same floats as float32 little-endian bytes
            default -> throw new IllegalStateException("Column " + table + "." + column + " has the PostgreSQL type "
                    + postgresType + ", which copy-to-postgres cannot convert yet");
        };
    }

    Object readSqlite(ResultSet rs, int i) throws SQLException {
        return switch (this) {
            case ID -> {
                String text = rs.getString(i);
                yield text == null ? null : UUID.fromString(text);
            }
            case BOOLEAN -> {
                long v = rs.getLong(i);
                yield rs.wasNull() ? null : v != 0;
            }
            case VECTOR -> {
                byte[] bytes = rs.getBytes(i);
                if (bytes == null) {
                    yield null;
                }
                float[] v = new float[bytes.length / Float.BYTES];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                yield v;
            }
            default -> readCommon(rs, i);
        };
    }

    Object readPostgres(ResultSet rs, int i) throws SQLException {
        return switch (this) {
            case ID -> rs.getObject(i, UUID.class);
            case BOOLEAN -> {
                boolean v = rs.getBoolean(i);
                yield rs.wasNull() ? null : v;
            }
            case VECTOR -> {
                // Read through vector_send (Table.selectInKeyOrder): a 2-byte length, 2 unused bytes, then
                // big-endian float32s. Parsing pgvector's text form took most of the verification's time.
                byte[] bytes = rs.getBytes(i);
                if (bytes == null) {
                    yield null;
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                float[] v = new float[buffer.getShort(0)];
                buffer.position(4).asFloatBuffer().get(v);
                yield v;
            }
            default -> readCommon(rs, i);
        };
    }

    private Object readCommon(ResultSet rs, int i) throws SQLException {
        return switch (this) {
            case INTEGER -> {
                long v = rs.getLong(i);
                yield rs.wasNull() ? null : v;
            }
            case REAL -> {
                double v = rs.getDouble(i);
                yield rs.wasNull() ? null : v;
            }
            case BYTES -> rs.getBytes(i);
            default -> rs.getString(i);
        };
    }

    void bindPostgres(PreparedStatement ps, int i, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(i, switch (this) {
                case ID -> Types.OTHER;
                case BOOLEAN -> Types.BOOLEAN;
                case INTEGER -> Types.BIGINT;
                case TEXT -> Types.VARCHAR;
                case REAL -> Types.DOUBLE;
                case BYTES -> Types.BINARY;
                case VECTOR -> Types.OTHER;
            });
            return;
        }
        switch (this) {
            case ID -> ps.setObject(i, value);
            case BOOLEAN -> ps.setBoolean(i, (Boolean) value);
            case INTEGER -> ps.setLong(i, (Long) value);
            case TEXT -> ps.setString(i, (String) value);
            case REAL -> ps.setDouble(i, (Double) value);
            case BYTES -> ps.setBytes(i, (byte[]) value);
            case VECTOR -> ps.setObject(i, value); // a real[], in binary: pgvector casts it to the column's type
        }
    }

    /** Binds a value as SQLite stores it: ids as text, booleans as 0/1. */
    void bindSqlite(PreparedStatement ps, int i, Object value) throws SQLException {
        switch (this) {
            case ID -> ps.setString(i, value.toString());
            case BOOLEAN -> ps.setInt(i, (Boolean) value ? 1 : 0);
            case INTEGER -> ps.setLong(i, (Long) value);
            case TEXT -> ps.setString(i, (String) value);
            case REAL -> ps.setDouble(i, (Double) value);
            case BYTES -> ps.setBytes(i, (byte[]) value);
            case VECTOR -> {
                float[] v = (float[]) value;
                ByteBuffer buffer = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(v);
                ps.setBytes(i, buffer.array());
            }
        }
    }

    /**
     * The bytes a checksum hashes: the UTF-8 of ids in lower case, of booleans as true/false, of bytes in hex;
     * a vector's float32s as they are (big-endian), since both sides hold the same floats.
     */
    byte[] canonical(Object value) {
        return switch (this) {
            case BYTES -> HexFormat.of().formatHex((byte[]) value).getBytes(StandardCharsets.UTF_8);
            case VECTOR -> {
                float[] v = (float[]) value;
                ByteBuffer buffer = ByteBuffer.allocate(v.length * Float.BYTES);
                buffer.asFloatBuffer().put(v);
                yield buffer.array();
            }
            default -> value.toString().getBytes(StandardCharsets.UTF_8);
        };
    }
}
