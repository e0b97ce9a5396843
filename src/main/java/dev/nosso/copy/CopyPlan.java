package dev.nosso.copy;

import dev.nosso.copy.Table.Column;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which tables to copy, with which columns, in which order. The target schema is the authority: its tables
 * are the application's (the SQLite file also holds full-text indexes, which PostgreSQL derives itself), and
 * its foreign keys put parents before children, so a table added by a later migration is copied without a
 * change here.
 */
final class CopyPlan {

    private static final String TABLES = """
            SELECT table_name FROM information_schema.tables
             WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name <> ?
             ORDER BY table_name
            """;

    private static final String COLUMNS = """
            SELECT column_name, data_type, udt_name, is_generated FROM information_schema.columns
             WHERE table_schema = ? AND table_name = ?
             ORDER BY ordinal_position
            """;

    private static final String SOURCE_COLUMNS = "SELECT name FROM pragma_table_info(?)";

    private CopyPlan() {
    }

    /** The tables of the target's current schema, parents before children. */
    static List<Table> of(Connection target, String schema, Connection source, String historyTable)
            throws SQLException {
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, Set<String>> parents = new TreeMap<>();
        for (String name : tableNames(target, schema, historyTable)) {
            Set<String> sourceColumns = sourceColumns(source, name);
            List<String> keyNames = keyNames(target.getMetaData(), schema, name);
            // A table the SQLite file lacks (the state of running nodes, such as nodes) has nothing to copy: the
            // target's rows are only looked for, by key, so its other columns need no conversion.
            Set<String> copied = sourceColumns.isEmpty() ? Set.copyOf(keyNames) : sourceColumns;
            List<Column> columns = columns(target, schema, name, copied);
            List<Column> key = key(name, keyNames, columns);
            Set<String> referenced = referencedTables(target.getMetaData(), schema, name);
            boolean selfReferencing = referenced.remove(name);
            if (selfReferencing && columns.stream().noneMatch(c -> c.name().equals("depth"))) {
                throw new IllegalStateException("Table " + name + " references itself but has no depth column, "
                        + "so its rows cannot be copied parents first");
            }
            tables.put(name, new Table(name, columns, key, !sourceColumns.isEmpty(), selfReferencing));
            parents.put(name, referenced);
        }
        parents.values().forEach(needs -> needs.retainAll(tables.keySet()));
        List<Table> ordered = new ArrayList<>();
        for (String name : parentsFirst(parents)) {
            ordered.add(tables.get(name));
        }
        return ordered;
    }

    private static List<String> tableNames(Connection target, String schema, String historyTable)
            throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement(TABLES)) {
            ps.setString(1, schema);
            ps.setString(2, historyTable);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static Set<String> sourceColumns(Connection source, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = source.prepareStatement(SOURCE_COLUMNS)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    // Only the columns copied: SQLite's seq keys stay behind, PostgreSQL's generated search vectors fill
    // themselves.
    private static List<Column> columns(Connection target, String schema, String table, Set<String> copied)
            throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement(COLUMNS)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString("column_name");
                    boolean generated = "ALWAYS".equals(rs.getString("is_generated"));
                    if (!generated && copied.contains(name)) {
                        // An extension's type (pgvector's vector) is USER-DEFINED; its udt_name says which.
                        String type = "USER-DEFINED".equals(rs.getString("data_type")) ? rs.getString("udt_name")
                                : rs.getString("data_type");
                        columns.add(new Column(name, ColumnType.of(table, name, type)));
                    }
                }
            }
        }
        return columns;
    }

    private static List<String> keyNames(DatabaseMetaData meta, String schema, String table) throws SQLException {
        Map<Integer, String> names = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                names.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("Table " + table + " has no primary key, so a copy of it could neither "
                    + "resume nor be verified");
        }
        return List.copyOf(names.values());
    }

    private static List<Column> key(String table, List<String> keyNames, List<Column> columns) {
        List<Column> key = new ArrayList<>();
        for (String name : keyNames) {
            key.add(columns.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("The key column " + table + "." + name
                            + " is missing from the SQLite file")));
        }
        return key;
    }

    private static Set<String> referencedTables(DatabaseMetaData meta, String schema, String table)
            throws SQLException {
        Set<String> referenced = new HashSet<>();
        try (ResultSet rs = meta.getImportedKeys(null, schema, table)) {
            while (rs.next()) {
                if (schema.equals(rs.getString("PKTABLE_SCHEM"))) {
                    referenced.add(rs.getString("PKTABLE_NAME"));
                }
            }
        }
        return referenced;
    }

    // Kahn's algorithm, taking ready tables by name so that the order is the same on every run.
    private static List<String> parentsFirst(Map<String, Set<String>> parents) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (order.size() < parents.size()) {
            TreeSet<String> ready = new TreeSet<>();
            parents.forEach((table, needs) -> {
                if (!done.contains(table) && done.containsAll(needs)) {
                    ready.add(table);
                }
            });
            if (ready.isEmpty()) {
                Set<String> left = new TreeSet<>(parents.keySet());
                left.removeAll(done);
                throw new IllegalStateException("The foreign keys between " + left + " form a cycle; "
                        + "copy-to-postgres needs an order with parents first");
            }
            String next = ready.first();
            order.add(next);
            done.add(next);
        }
        return order;
    }
}
