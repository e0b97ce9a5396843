package dev.nosso.copy;

import dev.nosso.copy.Table.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Copies one table's rows, streamed from SQLite, into PostgreSQL in batches that each commit on their own.
 * A row already in the target is skipped ({@code ON CONFLICT DO NOTHING}), so a copy stopped half-way is
 * finished by running it again; it repeats at most the batch that was in flight.
 */
final class RowCopier {

    /** Told after each committed batch; the command prints progress with it, and tests stop a copy with it. */
    interface BatchCommitted {
        void after(Table table, long rowsSoFar) throws SQLException;
    }

    private final Connection source;
    private final Connection target;
    private final int batchSize;
    private final BatchCommitted listener;

    RowCopier(Connection source, Connection target, int batchSize, BatchCommitted listener) {
        this.source = source;
        this.target = target;
        this.batchSize = batchSize;
        this.listener = listener;
    }

    /** Returns the number of source rows read. */
    long copy(Table table) throws SQLException {
        if (!table.inSource()) {
            return 0;
        }
        List<Column> columns = table.columns();
        long rows = 0;
        int pending = 0;
        try (Statement read = source.createStatement();
             PreparedStatement insert = target.prepareStatement(table.insert())) {
            read.setFetchSize(batchSize);
            try (ResultSet rs = read.executeQuery(table.selectForCopy())) {
                deferConstraints();
                while (rs.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        ColumnType type = columns.get(i).type();
                        type.bindPostgres(insert, i + 1, type.readSqlite(rs, i + 1));
                    }
                    insert.addBatch();
                    rows++;
                    if (++pending == batchSize) {
                        commit(insert);
                        pending = 0;
                        listener.after(table, rows);
                        deferConstraints();
                    }
                }
            }
            if (pending > 0) {
                commit(insert);
                listener.after(table, rows);
            } else {
                target.commit();
            }
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        }
        return rows;
    }

    // The foreign keys are DEFERRABLE: checked at each commit, a batch may hold rows in any order.
    private void deferConstraints() throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute("SET CONSTRAINTS ALL DEFERRED");
        }
    }

    private void commit(PreparedStatement insert) throws SQLException {
        insert.executeBatch();
        target.commit();
    }
}
