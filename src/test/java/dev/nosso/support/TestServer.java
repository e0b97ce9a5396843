package dev.nosso.support;

import dev.nosso.NossoApplication;
import dev.nosso.platform.Dialect;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application, started as in production on a random port and spoken to over real HTTP. A test may
 * stop it and start another on the same database to prove that what was written survives a restart.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_EMAIL = "admin@nosso.test";
    public static final String ADMIN_PASSWORD = "admin-password-123";
    public static final String PASSWORD = "user-password-123";

    private final TestDatabase database;
    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private TestServer(TestDatabase database, ConfigurableApplicationContext context) {
        this.database = database;
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    public static TestServer start(TestDatabase database) {
        return start(database, Map.of());
    }

    public static TestServer start(TestDatabase database, Map<String, Object> overrides) {
        return new TestServer(database, run(new SpringApplicationBuilder(NossoApplication.class), database, overrides));
    }

    /**
     * Part of the application on {@code database}, with no web server: the beans that {@code configuration}
     * scans (the packages a test needs, with {@code @ComponentScan} and {@code @EnableAutoConfiguration}). For
     * a test of one module's own beans that needs no HTTP: here it starts in about 0.3 s, the whole server in
     * about 1.1 s.
     */
    public static ConfigurableApplicationContext startPart(Class<?> configuration, TestDatabase database,
                                                           Map<String, Object> overrides) {
        return run(new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE), database, overrides);
    }

    private static ConfigurableApplicationContext run(SpringApplicationBuilder application, TestDatabase database,
                                                      Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(database.properties());
        props.put("server.port", "0");
        props.put("nosso.identity.admin-email", ADMIN_EMAIL);
        props.put("nosso.identity.admin-password", ADMIN_PASSWORD);
        props.put("nosso.identity.signup-default-role", "user");
        props.put("nosso.identity.signups-per-address", "100000"); // every test user signs up from 127.0.0.1
        // No Ollama connection unless a test asks for one: the default, 127.0.0.1:11434, would make every
        // catalog depend on whatever this machine happens to run.
        props.put("nosso.ollama.url", "");
        props.put("logging.level.root", "warn");
        props.put("logging.level.dev.nosso", "info");
        props.putAll(overrides);
        // As command-line arguments, not builder properties: those are Spring's defaults, which application.yml
        // overrides, so the server would quietly use ./data/nosso.db and port 8080 whatever the test asked for.
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = application.run(args);
        Dialect running = context.getBean(Dialect.class);
        if (running != database.dialect()) {
            context.close();
            throw new AssertionError("The server runs on " + running + ", not on the test's " + database.dialect());
        }
        return context;
    }

    /** Stops this server and starts a new one on the same database, as after a crash or an upgrade. */
    public TestServer restart(Map<String, Object> overrides) {
        close();
        return start(database, overrides);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public TestDatabase database() {
        return database;
    }

    public ApiClient anonymous() {
        return new ApiClient(baseUrl);
    }

    public ApiClient admin() {
        return anonymous().login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** Signs a new user up (the test servers make new accounts active users) and returns them signed in. */
    public ApiClient newUser() {
        String email = "u" + UUID.randomUUID().toString().substring(0, 12) + "@nosso.test";
        ApiClient client = anonymous();
        client.post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD, "name", "User " + email))
                .expect(201);
        return client.login(email, PASSWORD);
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
