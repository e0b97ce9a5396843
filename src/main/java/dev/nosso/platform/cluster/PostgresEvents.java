package dev.nosso.platform.cluster;

import dev.nosso.platform.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.StringUtils;

/**
 * Events through PostgreSQL's {@code LISTEN/NOTIFY}. Publishing is one {@code pg_notify} on the caller's
 * connection (so, inside a transaction, it is sent at commit), and this node's own handlers are called in the
 * process as soon as it commits. Listening holds one connection of its own,
 * outside the pool, blocked in a read of its socket: nothing is sent to the database while nothing happens.
 * A broken connection is opened again a second later, and every handler is told that events may have been
 * missed.
 *
 * <p>The channel is named after the schema, so that installations (and test runs) sharing one database in
 * schemas of their own never hear each other.
 */
final class PostgresEvents implements ClusterEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresEvents.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final int READ_TIMEOUT_MS = 5_000;

    private final JdbcClient jdbc;
    private final DatabaseSettings database;
    private final String channel;
    private final Handlers handlers = new Handlers();
    private final String origin = UUID.randomUUID().toString(); // tells this process's events from the others'
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Thread listener;
    private volatile boolean closed;
    private volatile Connection connection;

    PostgresEvents(JdbcClient jdbc, DatabaseSettings database) {
        this.jdbc = jdbc;
        this.database = database;
        String schema = jdbc.sql("SELECT current_schema()").query(String.class).single();
        this.channel = channelOf(schema);
        this.listener = Thread.ofPlatform().name("cluster-events").daemon().start(this::listen);
    }

    static String channelOf(String schema) {
        String name = "nosso_" + schema.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** Waits until the first {@code LISTEN} is in place, so that a node hears what happens after it starts. */
    void awaitListening(Duration timeout) throws InterruptedException {
        if (!listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("Not listening to cluster events after {}; other nodes' changes reach this one late", timeout);
        }
    }

    @Override
    public void publish(String topic, String payload) {
        String body = payload == null ? "" : payload;
        if (body.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("A cluster event carries at most " + MAX_PAYLOAD + " characters");
        }
        jdbc.sql("SELECT pg_notify(:channel, :message)").param("channel", channel)
                .param("message", topic + "\n" + origin + "\n" + body).query(Object.class).single();
        handlers.deliverAfterCommit(topic, body); // here at once, not after a round trip through the database
    }

    @Override
    public void subscribe(String topic, Consumer<String> handler) {
        handlers.add(topic, handler);
    }

    private void listen() {
        boolean first = true;
        boolean failing = false;
        while (!closed) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                if (failing) {
                    log.info("Listening to cluster events again");
                }
                failing = false;
                if (!first) {
                    handlers.deliverMissed();
                }
                first = false;
                listening.countDown();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(READ_TIMEOUT_MS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            deliver(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    log.warn("Lost the connection that listens to cluster events; trying again every {}",
                            RECONNECT_DELAY, e);
                    failing = true;
                }
                sleep();
            }
        }
    }

    /** Delivers an event of another node; this node's own were delivered when they were published. */
    private void deliver(String message) {
        String[] parts = message.split("\n", 3);
        if (parts.length == 3 && !parts[1].equals(origin)) {
            handlers.deliver(parts[0], parts[2]);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (StringUtils.hasText(database.user())) {
            props.setProperty("user", database.user());
        }
        if (StringUtils.hasText(database.password())) {
            props.setProperty("password", database.password());
        }
        props.setProperty("ApplicationName", "nosso-events");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(database.url().trim(), props);
    }

    private static void sleep() {
        try {
            Thread.sleep(RECONNECT_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run); // closes the socket under the blocked read, which then ends at once
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        listener.join(1_000L);
    }
}
