package dev.nosso.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for a process the test started (a server, S3Mock) until a URL of it answers 200. */
final class Readiness {

    private Readiness() {
    }

    /**
     * Returns once {@code url} answers 200; fails with the process's output when it exits first or the timeout
     * passes (then it is killed).
     */
    static void await(String name, Process process, Path log, URI url, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try {
            Eventually.within(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited:\n" + Files.readString(log));
                }
                return answers(http, url);
            });
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not answer within " + timeout + ":\n" + read(log));
        }
    }

    private static boolean answers(HttpClient http, URI url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
