package dev.nosso.platform.cluster;

import dev.nosso.platform.DatabaseSettings;
import dev.nosso.platform.Dialect;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    /** PostgreSQL's {@code LISTEN/NOTIFY} when other nodes may share the database, else the process alone. */
    @Bean // PostgresEvents closes with the context (an inferred close method)
    ClusterEvents clusterEvents(Dialect dialect, JdbcClient jdbc, DatabaseSettings database) throws Exception {
        if (dialect == Dialect.SQLITE) {
            return new LocalEvents();
        }
        PostgresEvents events = new PostgresEvents(jdbc, database);
        events.awaitListening(Duration.ofSeconds(5));
        return events;
    }
}
