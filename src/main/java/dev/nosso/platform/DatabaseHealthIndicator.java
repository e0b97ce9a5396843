package dev.nosso.platform;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code db} component of {@code /actuator/health}, in place of Spring Boot's, which waits for a pooled
 * connection as long as any request does and so, with the database away, hangs instead of saying so. This one
 * answers within {@link #BOUND}: {@code DOWN} when the database does not answer a validation in that time. A
 * check still running when the next health request comes is shared, not started again, so a load balancer
 * polling a node whose database is away never piles up threads waiting for connections.
 */
@Component("dbHealthIndicator")
class DatabaseHealthIndicator implements HealthIndicator {

    static final Duration BOUND = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final AtomicReference<CompletableFuture<Health>> running = new AtomicReference<>();

    DatabaseHealthIndicator(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    @Override
    public Health health() {
        CompletableFuture<Health> check = running.updateAndGet(
                current -> current != null && !current.isDone() ? current
                        : CompletableFuture.supplyAsync(this::validate, Thread::startVirtualThread));
        try {
            return check.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down().withDetail("database", dialect.name().toLowerCase(Locale.ROOT))
                    .withDetail("error", "No answer from the database within " + BOUND.toMillis() + " ms").build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    private Health validate() {
        // A statement, not isValid: the pool hands out lazy connections, which take a real one at the first statement.
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, BOUND.toSeconds()));
            statement.execute("SELECT 1");
            return Health.up().withDetail("database", dialect.name().toLowerCase(Locale.ROOT)).build();
        } catch (Exception e) {
            return Health.down().withDetail("database", dialect.name().toLowerCase(Locale.ROOT))
                    .withDetail("error", e.getClass().getSimpleName()).build();
        }
    }
}
