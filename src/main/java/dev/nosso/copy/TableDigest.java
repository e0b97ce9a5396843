package dev.nosso.copy;

import dev.nosso.copy.Table.Column;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * A table's row count and SHA-256 over every copied column of every row, in key order, computed the same way
 * on both databases. Each value is hashed as a null marker, or as a length and its canonical bytes, so no two
 * different rows can hash the same bytes.
 */
record TableDigest(long rows, String sha256) {

    static final TableDigest ABSENT = new TableDigest(0, "");

    static TableDigest of(Connection connection, Table table, boolean postgres, int fetchSize) throws SQLException {
        MessageDigest sha = newSha256();
        List<Column> columns = table.columns();
        long rows = 0;
        try (Statement s = connection.createStatement()) {
            s.setFetchSize(fetchSize); // PostgreSQL streams only with a fetch size, inside a transaction
            try (ResultSet rs = s.executeQuery(table.selectInKeyOrder(postgres))) {
                while (rs.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        ColumnType type = columns.get(i).type();
                        Object value = postgres ? type.readPostgres(rs, i + 1) : type.readSqlite(rs, i + 1);
                        add(sha, type, value);
                    }
                    rows++;
                }
            }
        }
        return new TableDigest(rows, HexFormat.of().formatHex(sha.digest()));
    }

    private static void add(MessageDigest sha, ColumnType type, Object value) {
        if (value == null) {
            sha.update((byte) 0);
            return;
        }
        byte[] text = type.canonical(value);
        sha.update((byte) 1);
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(text.length).array());
        sha.update(text);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
