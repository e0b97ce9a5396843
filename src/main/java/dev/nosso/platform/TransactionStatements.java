package dev.nosso.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Prepared statements that live as long as the current transaction, for the few hot statements that run
 * many times in one: a SQLite group commit appends a hundred messages with the same three statements, and
 * preparing each statement once per group instead of once per message is most of the cost saved. The
 * statements are closed when the transaction ends.
 */
@Component
public class TransactionStatements {

    private final DataSource dataSource;

    TransactionStatements(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The statement for {@code sql} on the transaction's connection, prepared on first use. */
    public PreparedStatement prepare(String sql) throws SQLException {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("TransactionStatements needs an active transaction");
        }
        Cache cache = (Cache) TransactionSynchronizationManager.getResource(this);
        if (cache == null) {
            cache = new Cache(DataSourceUtils.getConnection(dataSource));
            TransactionSynchronizationManager.bindResource(this, cache);
            TransactionSynchronizationManager.registerSynchronization(cache);
        }
        return cache.prepare(sql);
    }

    private final class Cache implements TransactionSynchronization {

        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Cache(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        // A transaction started inside this one (REQUIRES_NEW) must not see these statements.
        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResourceIfPossible(TransactionStatements.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(TransactionStatements.this, this);
        }

        @Override
        public void beforeCompletion() {
            TransactionSynchronizationManager.unbindResourceIfPossible(TransactionStatements.this);
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // closing a statement of a connection that is about to commit or roll back; nothing to do
                }
            }
            statements.clear();
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
