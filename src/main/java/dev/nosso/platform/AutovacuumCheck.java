package dev.nosso.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Says at start-up when PostgreSQL's autovacuum is off. Nosso's prepared statements keep the plan made from the
 * statistics of their fifth run until {@code ANALYZE} updates those statistics, which autovacuum does as tables
 * grow; without it, plans made on a young database stay with a large one (and deleted rows are never reclaimed).
 */
@Component
class AutovacuumCheck {

    private static final Logger log = LoggerFactory.getLogger(AutovacuumCheck.class);

    private final JdbcClient jdbc;
    private final Dialect dialect;

    AutovacuumCheck(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    @EventListener(ApplicationReadyEvent.class)
    void check() {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        String autovacuum = jdbc.sql("SELECT current_setting('autovacuum')").query(String.class).single();
        if (!"on".equals(autovacuum)) {
            log.warn("PostgreSQL's autovacuum is off: table statistics will not follow the tables' growth, so query "
                    + "plans can go stale, and space from deleted rows is not reused. Turn it on (autovacuum = on, "
                    + "PostgreSQL's default), or run VACUUM ANALYZE regularly.");
        }
    }
}
