package dev.nosso.support;

import dev.nosso.NossoApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The application in a process of its own, on the test's classpath, so that a test can kill it with
 * SIGKILL (no shutdown hook, no final write) and start it again on the same database.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final TestDatabase database;
    private final Map<String, Object> overrides;
    private final String maxHeap;

    private ServerProcess(Process process, String baseUrl, Path log, TestDatabase database,
                          Map<String, Object> overrides, String maxHeap) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.database = database;
        this.overrides = overrides;
        this.maxHeap = maxHeap;
    }

    /** Starts the server on {@code database} and waits until its health check answers. */
    public static ServerProcess start(TestDatabase database, Map<String, Object> overrides) {
        return start(database, overrides, "512m");
    }

    /** The same, with a heap of {@code maxHeap} ({@code -Xmx}). */
    public static ServerProcess start(TestDatabase database, Map<String, Object> overrides, String maxHeap) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, Object> props = new HashMap<>(database.properties());
            props.put("server.port", port);
            props.put("nosso.identity.admin-email", TestServer.ADMIN_EMAIL);
            props.put("nosso.identity.admin-password", TestServer.ADMIN_PASSWORD);
            props.put("nosso.identity.signup-default-role", "user");
            props.put("logging.level.root", "warn");
            props.put("logging.level.dev.nosso", "info");
            props.put("nosso.identity.signups-per-address", "100000"); // every test user signs up from 127.0.0.1
            props.putAll(overrides);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-Xmx" + maxHeap);
            // The JIT's first tier only, and one GC thread: a test's server runs for seconds, not hours, and
            // starts in about half the time on a busy two-core machine (measured: 26-30 s to 12-16 s).
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-XX:+UseSerialGC");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(NossoApplication.class.getName());
            props.forEach((k, v) -> command.add("--" + k + "=" + v));
            Path log = Files.createTempFile("nosso-process-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServerProcess server = new ServerProcess(process, "http://127.0.0.1:" + port, log, database,
                    Map.copyOf(overrides), maxHeap);
            server.awaitHealthy();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ApiClient anonymous() {
        return new ApiClient(baseUrl);
    }

    public ApiClient admin() {
        return anonymous().login(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    }

    /** Signs a new user up (the test servers make new accounts active users) and returns them signed in. */
    public ApiClient newUser() {
        String email = "u" + UUID.randomUUID().toString().substring(0, 12) + "@nosso.test";
        ApiClient client = anonymous();
        client.post("/api/v1/auth/signup", Map.of("email", email, "password", TestServer.PASSWORD,
                "name", "User " + email)).expect(201);
        return client.login(email, TestServer.PASSWORD);
    }

    /** The process id, to read its memory from {@code /proc}. */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to write anything more. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator or a supervisor stops a server, and waits until the process has exited. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The server did not stop within " + STOP_TIMEOUT + " of SIGTERM:\n" + logText());
        }
    }

    /** Another process on the same database with the same settings (on a new port), once this one has ended. */
    public ServerProcess startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException("Stop or kill this server first");
        }
        close();
        return start(database, overrides, maxHeap);
    }

    /** What the server has logged so far, to explain a failure. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file; the OS cleans up
        }
    }

    private void awaitHealthy() {
        Readiness.await("The server process", process, log, URI.create(baseUrl + "/actuator/health"), START_TIMEOUT);
    }
}
