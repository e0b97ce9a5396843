package dev.nosso.copy;

import dev.nosso.copy.Table.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The check that makes re-running safe: a target may be empty, or hold rows of an earlier, interrupted copy
 * of the same source; any row whose key the source does not have means someone else's data, and the copy
 * refuses to mix with it. Costs one key lookup in SQLite per target row, and nothing on an empty target.
 */
final class ForeignRows {

    private ForeignRows() {
    }

    /** The first target row the source lacks, named by table and key (never by content), if there is one. */
    static Optional<String> find(Connection source, Connection target, Table table, int fetchSize)
            throws SQLException {
        List<Column> key = table.key();
        try (Statement read = target.createStatement();
             PreparedStatement probe = table.inSource() ? source.prepareStatement(table.findByKey()) : null) {
            read.setFetchSize(fetchSize);
            try (ResultSet rs = read.executeQuery(table.selectKeys())) {
                while (rs.next()) {
                    Object[] values = new Object[key.size()];
                    for (int i = 0; i < key.size(); i++) {
                        values[i] = key.get(i).type().readPostgres(rs, i + 1);
                    }
                    if (probe == null || !inSource(probe, key, values)) {
                        return Optional.of(describe(table, values));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean inSource(PreparedStatement probe, List<Column> key, Object[] values) throws SQLException {
        for (int i = 0; i < key.size(); i++) {
            key.get(i).type().bindSqlite(probe, i + 1, values[i]);
        }
        try (ResultSet rs = probe.executeQuery()) {
            return rs.next();
        }
    }

    private static String describe(Table table, Object[] values) {
        StringBuilder text = new StringBuilder(table.name()).append(" (");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ", ").append(table.key().get(i).name()).append('=').append(values[i]);
        }
        return text.append(')').toString();
    }
}
