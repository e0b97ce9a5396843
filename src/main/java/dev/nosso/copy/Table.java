package dev.nosso.copy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One table to copy, as described by the target schema.
 *
 * @param columns   the columns both databases have, minus PostgreSQL's generated ones (the search vectors)
 * @param key       the primary key, which orders rows for the checksums and the resume check
 * @param inSource  whether the SQLite file has this table at all
 * @param depthFirst whether rows must be copied by {@code depth} first: a table that references itself
 *                  (the message tree) needs each parent committed before its children, batch after batch
 */
record Table(String name, List<Column> columns, List<Column> key, boolean inSource, boolean depthFirst) {

    record Column(String name, ColumnType type) {
    }

    String insert() {
        return "INSERT INTO " + quote(name) + " (" + list(columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT DO NOTHING";
    }

    /** Source rows in copy order. */
    String selectForCopy() {
        return "SELECT " + list(columns) + " FROM " + quote(name) + " ORDER BY "
                + (depthFirst ? "depth, " : "") + list(key);
    }

    /**
     * All rows in key order. Text keys sort by bytes on PostgreSQL ({@code COLLATE "C"}), as SQLite's BINARY
     * collation does, so both sides hash the rows in the same order; ids sort alike as uuid and as lower-case text.
     * Vectors come from PostgreSQL in pgvector's binary form, read by {@link ColumnType#readPostgres}.
     */
    String selectInKeyOrder(boolean postgres) {
        String order = key.stream()
                .map(c -> quote(c.name()) + (postgres && c.type() == ColumnType.TEXT ? " COLLATE \"C\"" : ""))
                .collect(Collectors.joining(", "));
        String select = columns.stream()
                .map(c -> postgres && c.type() == ColumnType.VECTOR
                        ? "vector_send(" + quote(c.name()) + ")" : quote(c.name()))
                .collect(Collectors.joining(", "));
        return "SELECT " + select + " FROM " + quote(name) + " ORDER BY " + order;
    }

    String selectKeys() {
        return "SELECT " + list(key) + " FROM " + quote(name);
    }

    String findByKey() {
        return "SELECT 1 FROM " + quote(name) + " WHERE "
                + key.stream().map(c -> quote(c.name()) + " = ?").collect(Collectors.joining(" AND "));
    }

    String count() {
        return "SELECT count(*) FROM " + quote(name);
    }

    private static String list(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    // Names come from the databases' own catalogs, never from input; quoting keeps any of them valid.
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
