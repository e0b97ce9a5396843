package dev.nosso.platform.cluster;

import dev.nosso.platform.DatabaseOutage;
import dev.nosso.platform.DatabaseSettings;
import dev.nosso.platform.Dialect;
import dev.nosso.platform.Ids;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * This process among the nodes that share the database. Each start is a new node, with an id of its own that
 * marks what it alone is doing (the answers it generates). On PostgreSQL it registers in {@code nodes} and
 * renews {@code seen_at} every heartbeat, by the database's clock, so that nodes with clocks apart still agree
 * on who is silent. A heartbeat also tells whether another node has been silent for longer than the lease:
 * then the node's {@link #whenNodesLost listeners} run (they interrupt what the lost node was doing, and any
 * surviving node may do it; what they do must be safe to do twice), and the lost node's row is removed.
 *
 * <p>Idle, a node costs the database one statement per heartbeat. The heartbeat has a connection of its own,
 * outside the pool: borrowed from the pool, each beat would first cost a validation query (the pool checks a
 * connection idle for over half a second), doubling what an idle node sends. On SQLite a node is
 * {@link #alone()}: there is no table, no heartbeat, and what a node finds unfinished at start-up was left by
 * a dead one.
 */
@Component
public class Node implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private static final String REGISTER = """
            INSERT INTO nodes (id, name, started_at, seen_at) VALUES (:id, :name, now(), now())
            ON CONFLICT (id) DO UPDATE SET seen_at = now()
            """;

    // One statement: renew this node, and count the other nodes that are silent beyond the lease. The subquery
    // sees the rows as they were before the update, so this node, back after a long pause or an outage of the
    // database, would otherwise count itself as lost.
    private static final String HEARTBEAT = """
            UPDATE nodes SET seen_at = now() WHERE id = :id
            RETURNING (SELECT COUNT(*) FROM nodes WHERE id <> :id AND seen_at < now() - make_interval(secs => :lease))
            """;

    private static final String FORGET_LOST = "DELETE FROM nodes WHERE seen_at < now() - make_interval(secs => :lease)";

    private static final String LEAVE = "DELETE FROM nodes WHERE id = :id";

    private final UUID id = Ids.next();
    private final String name = describe();
    private final JdbcClient jdbc; // the heartbeat's own connection on PostgreSQL
    private final SingleConnectionDataSource connection;
    private final ClusterSettings settings;
    private final boolean alone;
    private final List<Runnable> lostListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final DatabaseOutage outage;

    Node(DatabaseSettings database, ClusterSettings settings, Dialect dialect, DatabaseOutage outage) {
        this.outage = outage;
        this.settings = settings;
        this.alone = dialect == Dialect.SQLITE;
        this.connection = alone ? null : ownConnection(database);
        this.jdbc = alone ? null : JdbcClient.create(connection);
        this.timer = alone ? null : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("node-heartbeat").daemon().factory());
    }

    /** This node's id, new at every start. */
    public UUID id() {
        return id;
    }

    /** True when no other node can share the database (SQLite). */
    public boolean alone() {
        return alone;
    }

    /** How long a node may stay silent before the others take it for dead. */
    public Duration lease() {
        return settings.lease();
    }

    /**
     * Runs {@code listener} on the heartbeat thread whenever another node has been found silent beyond the
     * lease, before its row is removed. Never called when the node is {@link #alone()}.
     */
    public void whenNodesLost(Runnable listener) {
        lostListeners.add(listener);
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (alone) {
            return;
        }
        jdbc.sql(REGISTER).param("id", id).param("name", name).update();
        long every = settings.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        log.info("Node {} ({}) joined; heartbeat every {}, lease {}", id, name, settings.heartbeat(), settings.lease());
    }

    void beat() {
        try {
            Long silent = jdbc.sql(HEARTBEAT).param("id", id).param("lease", leaseSeconds())
                    .query(Long.class).optional().orElse(null);
            if (silent == null) {
                // Taken for dead (silent beyond the lease: a long pause, a lost database): the others have
                // interrupted its answers already, and its checkpoints now fail, which stops them here too.
                log.warn("Node {} was taken for dead by the others; joining again", id);
                jdbc.sql(REGISTER).param("id", id).param("name", name).update();
            } else if (silent > 0) {
                log.warn("{} node(s) silent for more than {}: interrupting what they were doing", silent, settings.lease());
                lostListeners.forEach(Runnable::run); // if one throws, the rows stay and the next beat tries again
                jdbc.sql(FORGET_LOST).param("lease", leaseSeconds()).update();
            }
        } catch (RuntimeException e) {
            if (!outage.noted(e, "The heartbeat")) {
                log.warn("Heartbeat failed; trying again in {}", settings.heartbeat(), e);
            }
            connection.resetConnection(); // the next beat opens a new one
        }
    }

    private static SingleConnectionDataSource ownConnection(DatabaseSettings database) {
        SingleConnectionDataSource own = new SingleConnectionDataSource(database.url().trim(), true);
        if (StringUtils.hasText(database.user())) {
            own.setUsername(database.user());
        }
        if (StringUtils.hasText(database.password())) {
            own.setPassword(database.password());
        }
        Properties props = new Properties();
        props.setProperty("ApplicationName", "nosso-heartbeat");
        props.setProperty("tcpKeepAlive", "true");
        own.setConnectionProperties(props);
        return own;
    }

    private double leaseSeconds() {
        return settings.lease().toMillis() / 1000.0;
    }

    @Override
    public void destroy() {
        if (alone) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS); // a beat running now ends before its connection is used
            jdbc.sql(LEAVE).param("id", id).update();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("Could not remove this node's row; the others will after the lease", e);
        } finally {
            connection.destroy();
        }
    }

    private static String describe() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
