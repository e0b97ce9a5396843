package dev.nosso.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.ApiClient;
import dev.nosso.support.TestDatabase;
import dev.nosso.support.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SQLite with no room left: a write is refused with 507 {@code storage-full}, the database stays whole and
 * what was stored before reads back. The disk is made "full" with SQLite's own {@code max_page_count}, which
 * fails a growing write with the same SQLITE_FULL as a full disk does, without the privileges a small mount
 * needs.
 */
class DiskFullTest {

    @Test
    void aWriteOnAFullDiskIsRefusedWith507AndTheDatabaseStaysWhole() throws Exception {
        try (TestDatabase database = TestDatabase.fresh(Dialect.SQLITE)) {
            List<String> before = new ArrayList<>();
            String email;
            try (TestServer server = TestServer.start(database)) {
                ApiClient alice = server.newUser();
                email = alice.get("/api/v1/auth/me").expect(200).text("/email");
                for (int i = 0; i < 3; i++) {
                    before.add(alice.post("/api/v1/chats", Map.of("title", "Before " + i)).expect(201).text("/id"));
                }
            }
            long pages = pragma(database, "page_count");
            String full = database.url() + "?max_page_count=" + (pages + 20);

            try (TestServer server = TestServer.start(database, Map.of("nosso.database.url", full))) {
                ApiClient alice = server.anonymous().login(email, TestServer.PASSWORD);
                ApiClient.Response refused = null;
                for (int i = 0; i < 20_000 && refused == null; i++) {
                    ApiClient.Response r = alice.post("/api/v1/chats", Map.of("title", "Filler " + i + " " + "x".repeat(180)));
                    if (r.status() != 201) {
                        refused = r;
                    }
                }
                assertThat(refused).as("no write was refused").isNotNull();
                refused.expectProblem(507, "storage-full");
                assertThat(refused.text("/detail")).contains("full");
                for (String id : before) {
                    alice.get("/api/v1/chats/" + id).expect(200);
                }
            }
            assertThat(integrityCheck(database)).isEqualTo("ok");

            try (TestServer server = TestServer.start(database)) {
                ApiClient alice = server.anonymous().login(email, TestServer.PASSWORD);
                for (String id : before) {
                    assertThat(alice.get("/api/v1/chats/" + id).expect(200).text("/title")).startsWith("Before");
                }
                alice.post("/api/v1/chats", Map.of("title", "After the space came back")).expect(201);
            }
        }
    }

    private static long pragma(TestDatabase database, String name) throws Exception {
        try (Connection c = database.connect(); ResultSet rs = c.createStatement().executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String integrityCheck(TestDatabase database) throws Exception {
        try (Connection c = database.connect();
             ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
