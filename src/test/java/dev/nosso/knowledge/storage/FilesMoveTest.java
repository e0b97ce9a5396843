package dev.nosso.knowledge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.platform.Dialect;
import dev.nosso.support.ApiClient;
import dev.nosso.support.Eventually;
import dev.nosso.support.S3Mock;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code files-move} on real stores: files uploaded to a server on the local folder are moved into PostgreSQL or
 * an S3Mock bucket, verified, and served from there by a server switched to that store once the folder is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class FilesMoveTest {

    private TestDatabase database;

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void filesInTheFolderAreReadUntilMovedIntoTheDatabaseThenServedFromIt(CapturedOutput log) throws SQLException {
        database = TestDatabase.fresh(Dialect.POSTGRESQL);
        Map<String, byte[]> uploaded = uploadToAServerOnTheFolder();
        // Upgraded, on PostgreSQL's default store: the files still in the folder are read from there meanwhile.
        try (TestServer upgraded = TestServer.start(database)) {
            assertEveryFileDownloads(upgraded, uploaded);
        }
        assertThat(log.getAll()).contains("still holds uploaded files' bytes").contains("files-move --to=database");

        Run first = move("--to=database");

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("from the folder " + folder())
                .contains("to the database (table file_parts)")
                .contains("2 moved (" + distinctBytes(uploaded) + " bytes), 0 there already; all 2 verified by SHA-256");
        assertThat(keysInTable()).hasSize(2);

        Run again = move("--to=database");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("0 moved (0 bytes), 2 there already; all 2 verified");

        // An interrupted move: one file's parts never arrived. The next run moves that one only.
        execute("DELETE FROM file_parts WHERE storage_key = '" + keysInTable().getFirst() + "'");
        Run resumed = move("--to=database");
        assertThat(resumed.output()).contains("1 moved").contains("1 there already; all 2 verified");

        deleteFolder();
        try (TestServer moved = TestServer.start(database)) {
            assertEveryFileDownloads(moved, uploaded);
        }
    }

    @Test
    void filesAreMovedIntoAnS3BucketAndServedFromIt() {
        database = TestDatabase.fresh(Dialect.SQLITE);
        Map<String, byte[]> uploaded = uploadToAServerOnTheFolder();
        S3Mock s3 = S3Mock.shared();
        String bucket = s3.newBucket();

        Run run = move(s3Options(bucket));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("to S3-compatible storage, bucket " + bucket)
                .contains("2 moved (" + distinctBytes(uploaded) + " bytes), 0 there already; all 2 verified");
        assertThat(s3.client().listObjectsV2(r -> r.bucket(bucket)).keyCount()).isEqualTo(2);
        deleteFolder();
        try (TestServer moved = TestServer.start(database, new HashMap<>(s3.settings(bucket)))) {
            assertEveryFileDownloads(moved, uploaded);
        }
    }

    @Test
    void bytesMissingOrDamagedInTheSourceAreNamedAndLeftBehindAndADamagedCopyInTheTargetIsReplaced()
            throws IOException {
        database = TestDatabase.fresh(Dialect.SQLITE);
        Map<String, byte[]> uploaded = uploadToAServerOnTheFolder();
        List<String> keys = new ArrayList<>(uploaded.keySet().stream().distinct().toList());
        S3Mock s3 = S3Mock.shared();
        String bucket = s3.newBucket();
        byte[] damagedBytes = Files.readAllBytes(folder().resolve(keys.get(0)));
        Files.write(folder().resolve(keys.get(0)), "not what was uploaded".getBytes(StandardCharsets.UTF_8));
        byte[] missingBytes = Files.readAllBytes(folder().resolve(keys.get(1)));
        Files.delete(folder().resolve(keys.get(1)));

        Run partial = move(s3Options(bucket));

        assertThat(partial.exitCode()).as(partial.output()).isEqualTo(1);
        assertThat(partial.output()).contains("Missing from the local store, so not moved (1): " + keys.get(1))
                .contains("Damaged in the local store: their bytes do not match their SHA-256, so not moved (1): "
                        + keys.get(0));
        S3Client client = s3.client();
        assertThat(client.listObjectsV2(r -> r.bucket(bucket)).keyCount()).isZero();

        // The operator puts the bytes back; meanwhile the one copy in the bucket got damaged.
        Files.write(folder().resolve(keys.get(0)), damagedBytes);
        Files.write(folder().resolve(keys.get(1)), missingBytes);
        client.putObject(r -> r.bucket(bucket).key(keys.get(1)), RequestBody.fromString("garbage"));
        Run repaired = move(s3Options(bucket));

        assertThat(repaired.exitCode()).as(repaired.output()).isZero();
        assertThat(repaired.output()).contains("replacing a damaged copy in the target: " + keys.get(1))
                .contains("2 moved").contains("all 2 verified");
        assertThat(client.getObjectAsBytes(r -> r.bucket(bucket).key(keys.get(1))).asByteArray())
                .isEqualTo(missingBytes);
    }

    @Test
    void badArgumentsAndTheDatabaseStoreOnSqliteAreRefusedWithTheReason() {
        database = TestDatabase.fresh(Dialect.SQLITE);

        Run noTarget = move();
        Run unknown = move("--to=ftp");
        Run same = move("--to=local");
        Run sqlite = move("--to=database");

        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.output()).contains("usage: files-move --to=<local|database|s3>");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown file store ftp");
        assertThat(same.exitCode()).isEqualTo(2);
        assertThat(same.output()).contains("the same store");
        assertThat(sqlite.exitCode()).isEqualTo(1);
        assertThat(sqlite.output()).contains("nosso.files.store=database (NOSSO_FILES_STORE) needs PostgreSQL");
    }

    /**
     * Runs a server on the local folder (as before this store could be chosen), uploads three files of which
     * two have the same bytes, waits for them to be read, and stops it. Keys are storage keys; a key appears
     * once per file, so the map holds two keys.
     */
    private Map<String, byte[]> uploadToAServerOnTheFolder() {
        Map<String, byte[]> byKey = new LinkedHashMap<>();
        try (TestServer server = TestServer.start(database, Map.of("nosso.files.store", "local"))) {
            ApiClient alice = server.newUser();
            ApiClient bob = server.newUser();
            byte[] shared = "The lapwing nests in the open field.".getBytes(StandardCharsets.UTF_8);
            byte[] own = "The curlew calls over the moor.".getBytes(StandardCharsets.UTF_8);
            List<String> ids = List.of(upload(alice, "lapwing.txt", shared), upload(bob, "lapwing.txt", shared),
                    upload(alice, "curlew.txt", own));
            for (String id : ids) {
                ApiClient owner = id.equals(ids.get(1)) ? bob : alice;
                String sha = Eventually.within(Duration.ofSeconds(60)).until(
                        () -> owner.get("/api/v1/files/" + id).expect(200).json(),
                        f -> f.path("status").asString().equals("ready")).path("sha256").asString();
                byKey.put(FileStore.keyOf(sha), id.equals(ids.get(2)) ? own : shared);
            }
        }
        return byKey;
    }

    private static String upload(ApiClient client, String name, byte[] bytes) {
        return client.upload("/api/v1/files", name, "text/plain", bytes, Map.of()).expect(201).text("/id");
    }

    /** Every file of every user downloads with exactly its bytes. */
    private void assertEveryFileDownloads(TestServer server, Map<String, byte[]> byKey) {
        ApiClient admin = server.admin();
        int files = 0;
        for (var user : admin.get("/api/v1/admin/users").expect(200).at("/items")) {
            if (user.path("email").asString().equals(TestServer.ADMIN_EMAIL)) {
                continue;
            }
            ApiClient owner = server.anonymous().login(user.path("email").asString(), TestServer.PASSWORD);
            for (var file : owner.get("/api/v1/files").expect(200).at("/items")) {
                HttpResponse<byte[]> content = owner.download("/api/v1/files/" + file.path("id").asString() + "/content");
                assertThat(content.statusCode()).isEqualTo(200);
                assertThat(content.body()).isEqualTo(byKey.get(FileStore.keyOf(file.path("sha256").asString())));
                files++;
            }
        }
        assertThat(files).isEqualTo(3);
    }

    private record Run(int exitCode, String output) {
    }

    private Run move(String... options) {
        List<String> args = new ArrayList<>(List.of(FilesMove.COMMAND));
        database.properties().forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = FilesMove.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    private static String[] s3Options(String bucket) {
        return S3Mock.shared().settings(bucket).entrySet().stream()
                .filter(e -> !e.getKey().equals("nosso.files.store"))
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
                    list.add("--to=s3");
                    return list.toArray(String[]::new);
                }));
    }

    private Path folder() {
        return database.dataDir().resolve("files");
    }

    private void deleteFolder() {
        try (Stream<Path> files = Files.walk(folder())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long distinctBytes(Map<String, byte[]> byKey) {
        return byKey.values().stream().mapToLong(b -> b.length).sum();
    }

    private List<String> keysInTable() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = database.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT DISTINCT storage_key FROM file_parts ORDER BY 1")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.connect()) {
            c.createStatement().execute(sql);
        }
    }
}
