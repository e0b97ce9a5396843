package dev.nosso.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The target's secondary indexes are dropped before a table is copied and built again once it is full. Kept
 * while rows arrive, the HNSW graph of the chunks took about 2.5 ms per inserted row (410 chunks/s) and the
 * full-text GIN indexes most of the rest; built once over the whole table they cost a fraction of that.
 * <p>
 * Only plain indexes go: primary keys, unique indexes and constraints stay, because the copy's
 * {@code ON CONFLICT DO NOTHING} and the foreign-key checks need them. The definitions of the dropped indexes
 * are kept in the table's own comment, in the transaction that drops them, so a copy interrupted in between
 * still knows on the next run what it has to build.
 */
final class DeferredIndexes {

    static final String MARKER = "nosso copy-to-postgres: indexes to build after the copy\n";

    private static final String DROPPABLE = """
            SELECT c.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ? AND t.relname = ? AND NOT i.indisprimary AND NOT i.indisunique
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY c.relname
            """;

    private static final String COMMENT = """
            SELECT obj_description(t.oid, 'pg_class')
              FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ? AND t.relname = ?
            """;

    private DeferredIndexes() {
    }

    /**
     * Drops the table's plain indexes and records them, when the table is empty or an earlier run already began
     * so; returns every definition pending for the table, those of an interrupted run included. A table that
     * already holds rows keeps its indexes: a re-run over a finished copy, or one that fills in a few missing
     * rows, should not rebuild an index of a million rows. Commits.
     */
    static List<String> drop(Connection pg, String schema, Table table) throws SQLException {
        Set<String> pending = new LinkedHashSet<>(pending(pg, schema, table));
        if (pending.isEmpty() && !isEmpty(pg, schema, table)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement(DROPPABLE)) {
            ps.setString(1, schema);
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    pending.add(rs.getString(2));
                }
            }
        }
        if (names.isEmpty()) {
            return List.copyOf(pending);
        }
        try (Statement s = pg.createStatement()) {
            s.execute("COMMENT ON TABLE " + qualified(schema, table) + " IS "
                    + literal(MARKER + String.join(";\n", pending)));
            for (String name : names) {
                s.execute("DROP INDEX " + Table.quote(schema) + "." + Table.quote(name));
            }
        }
        pg.commit();
        return List.copyOf(pending);
    }

    /**
     * Builds the recorded indexes in one transaction that also clears the record, so an interruption leaves
     * either all of them to build again or none. Commits.
     */
    static void build(Connection pg, String schema, Table table, List<String> definitions, String memory)
            throws SQLException {
        if (definitions.isEmpty()) {
            return;
        }
        try (Statement s = pg.createStatement()) {
            // A ceiling for this session, not an allocation: an HNSW graph built within it never spills to disk.
            s.execute("SET LOCAL maintenance_work_mem = " + literal(memory));
            for (String definition : definitions) {
                s.execute(definition.replaceFirst("^CREATE INDEX ", "CREATE INDEX IF NOT EXISTS "));
            }
            s.execute("COMMENT ON TABLE " + qualified(schema, table) + " IS NULL");
        }
        pg.commit();
    }

    /** The definitions an earlier run recorded for the table and has not built yet. */
    static List<String> pending(Connection pg, String schema, Table table) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement(COMMENT)) {
            ps.setString(1, schema);
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                String comment = rs.next() ? rs.getString(1) : null;
                if (comment == null || !comment.startsWith(MARKER)) {
                    return List.of();
                }
                return List.of(comment.substring(MARKER.length()).split(";\n"));
            }
        }
    }

    private static boolean isEmpty(Connection pg, String schema, Table table) throws SQLException {
        try (Statement s = pg.createStatement();
             ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + qualified(schema, table) + ")")) {
            rs.next();
            return !rs.getBoolean(1);
        }
    }

    private static String qualified(String schema, Table table) {
        return Table.quote(schema) + "." + Table.quote(table.name());
    }

    // DDL takes no bound parameters. The text comes from PostgreSQL's own catalog (pg_get_indexdef) or from a
    // validated option, never from the copied rows.
    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
