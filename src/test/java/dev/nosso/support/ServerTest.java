package dev.nosso.support;

import dev.nosso.platform.Dialect;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test class that runs all its tests twice, once per database, each time against one real server on a
 * fresh database. Subclasses change the server's settings through {@link #settings()}.
 *
 * <p>The server starts in a {@code @BeforeParameterizedClassInvocation} method, not {@code @BeforeAll}:
 * a {@code @BeforeAll} method runs before the {@code @Parameter} field is set, and would see no dialect.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTest {

    @Parameter
    protected Dialect dialect;

    protected TestDatabase database;
    protected TestServer server;

    /** Settings for this class's server, beyond those every test server has. */
    protected Map<String, Object> settings() {
        return Map.of();
    }

    @BeforeParameterizedClassInvocation
    void startServer() {
        database = TestDatabase.fresh(dialect);
        server = TestServer.start(database, settings());
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
