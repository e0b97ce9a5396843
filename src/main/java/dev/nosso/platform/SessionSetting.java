package dev.nosso.platform;

/**
 * A PostgreSQL setting that every pooled connection gets when it is opened, contributed as a bean by the
 * capability that needs it (e.g. retrieval's HNSW search breadth). Set once per connection, it costs a query
 * nothing, where a transaction-local {@code set_config} costs a transaction and a round trip per query.
 * SQLite ignores them.
 *
 * @param name  the setting, e.g. {@code hnsw.ef_search}; an extension's settings may be set before the
 *              extension is loaded in the session, and apply when it is
 * @param value its value, as text
 */
public record SessionSetting(String name, String value) {

    public SessionSetting {
        if (!name.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
            throw new IllegalArgumentException("Not a setting name: " + name);
        }
    }

    /** {@code set_config(...)} for this setting, for the whole session. */
    String sql() {
        return "set_config('" + name + "', '" + value.replace("'", "''") + "', false)";
    }
}
