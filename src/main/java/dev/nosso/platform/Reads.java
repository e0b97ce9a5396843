package dev.nosso.platform;

import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Short, hot reads that need no snapshot shared by their statements, such as a search's ranked list and its
 * passages, or a version looked up before every search. On SQLite they run in a read-only transaction, which
 * sends them to a reader connection instead of queueing for the writer. On PostgreSQL each statement runs on
 * its own: BEGIN and COMMIT around them would be two round trips more, for a snapshot nobody needs.
 *
 * <p>Reads that must see one moment of the database (a count and the rows it counts) take a read-only
 * transaction of their own instead.
 */
@Component
public class Reads {

    private final TransactionTemplate readOnly;
    private final Dialect dialect;

    Reads(PlatformTransactionManager transactions, Dialect dialect) {
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.dialect = dialect;
    }

    public <T> T run(Supplier<T> reads) {
        return dialect == Dialect.POSTGRESQL ? reads.get() : readOnly.execute(status -> reads.get());
    }
}
