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

/**
 * The application in a process of its own, on the test's classpath, so that a test can kill it with
 * SIGKILL (no shutdown hook, no final write) and start it again on the same database.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private ServerProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
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
            props.putAll(overrides);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-Xmx" + maxHeap);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(NossoApplication.class.getName());
            props.forEach((k, v) -> command.add("--" + k + "=" + v));
            Path log = Files.createTempFile("nosso-process-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServerProcess server = new ServerProcess(process, "http://127.0.0.1:" + port, log);
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

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to write anything more. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
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
