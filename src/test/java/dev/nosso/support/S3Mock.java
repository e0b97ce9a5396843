package dev.nosso.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for the tests: Adobe's S3Mock, the executable jar that Maven copies to
 * {@code target/s3mock/} (pom.xml), run as a process of its own on a free port. One serves the whole test run,
 * started on first use and stopped when the JVM exits; each test takes a bucket of its own.
 */
public final class S3Mock {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    public static final String ACCESS_KEY = "nosso-test";
    public static final String SECRET_KEY = "nosso-test-secret";

    private static S3Mock running;

    private final Process process;
    private final String endpoint;
    private final Path root;
    private final Path log;
    private final S3Client client;

    private S3Mock(Process process, String endpoint, Path root, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.root = root;
        this.log = log;
        this.client = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** The server of this test run, started now if it is not running yet. */
    public static synchronized S3Mock shared() {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
        }
        return running;
    }

    private static S3Mock start() {
        String jar = System.getProperty("nosso.test.s3mock-jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new AssertionError("S3Mock's jar is not at " + jar + ": run the tests through Maven, whose "
                    + "generate-test-resources phase copies it there (maven-dependency-plugin, pom.xml)");
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path root = Files.createTempDirectory("nosso-s3mock-");
            Path log = Files.createTempFile("nosso-s3mock-", ".log");
            // S3Mock is a Spring Boot application for Java 17+: the JDK that runs the tests runs it too.
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "-jar", jar,
                    "--server.port=0", // its HTTPS port, unused
                    "--com.adobe.testing.s3mock.http-port=" + port,
                    "--com.adobe.testing.s3mock.store.root=" + root,
                    "--spring.main.banner-mode=off");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            S3Mock server = new S3Mock(process, "http://127.0.0.1:" + port, root, log);
            Readiness.await("S3Mock", process, log, URI.create(server.endpoint + "/"), START_TIMEOUT);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    /** A client of the server's own, for tests that look into a bucket behind the application's back. */
    public S3Client client() {
        return client;
    }

    /** Creates an empty bucket with a new name and returns the name. */
    public String newBucket() {
        String bucket = "nosso-" + UUID.randomUUID().toString().substring(0, 13);
        client.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    /** The settings that make a Nosso server keep its files' bytes in {@code bucket} here. */
    public Map<String, Object> settings(String bucket) {
        return Map.of("nosso.files.store", "s3",
                "nosso.files.s3.endpoint", endpoint,
                "nosso.files.s3.bucket", bucket,
                "nosso.files.s3.access-key", ACCESS_KEY,
                "nosso.files.s3.secret-key", SECRET_KEY,
                "nosso.files.s3.path-style", "true");
    }

    private void stop() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp files; the OS cleans up
        }
    }
}
