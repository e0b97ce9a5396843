package dev.nosso.knowledge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bytes in PostgreSQL's {@code file_parts} table, 1 MiB per row, so that every node sharing the database reads
 * every file. A file is written in one transaction (all its parts or none) and read one part per query, so
 * neither holds more than a part in memory nor keeps a connection while a slow client downloads.
 *
 * <p>Not offered on SQLite (see {@link FileStores}).
 */
final class DatabaseFileStore implements FileStore {

    static final int PART_BYTES = 1024 * 1024;

    // ON CONFLICT: another upload of the same bytes stored this part meanwhile; its bytes are these bytes.
    private static final String INSERT_PART = """
            INSERT INTO file_parts (storage_key, part, bytes) VALUES (:key, :part, :bytes)
            ON CONFLICT (storage_key, part) DO NOTHING
            """;

    private static final String FIRST_PART = """
            SELECT p.bytes, (SELECT count(*) FROM file_parts c WHERE c.storage_key = :key) AS parts
              FROM file_parts p WHERE p.storage_key = :key AND p.part = 0
            """;

    private static final String PART = "SELECT bytes FROM file_parts WHERE storage_key = :key AND part = :part";

    private static final String HAS = "SELECT count(*) FROM file_parts WHERE storage_key = :key AND part = 0";

    private static final String DELETE = "DELETE FROM file_parts WHERE storage_key = :key";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    DatabaseFileStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean has(String key) throws IOException {
        return reach(() -> jdbc.sql(HAS).param("key", key).query(Long.class).single() > 0);
    }

    @Override
    public void put(String key, Path file) throws IOException {
        if (has(key)) {
            return;
        }
        try {
            reach(() -> transactions.execute(status -> insertParts(key, file)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Integer insertParts(String key, Path file) {
        byte[] buffer = new byte[PART_BYTES];
        int part = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.readNBytes(buffer, 0, PART_BYTES)) > 0; part++) {
                jdbc.sql(INSERT_PART).param("key", key).param("part", part)
                        .param("bytes", n == PART_BYTES ? buffer : Arrays.copyOf(buffer, n)).update();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // rolls the parts written so far back
        }
        return part;
    }

    @Override
    public InputStream open(String key) throws IOException {
        record First(byte[] bytes, long parts) {
        }
        Optional<First> first = reach(() -> jdbc.sql(FIRST_PART).param("key", key)
                .query((rs, row) -> new First(rs.getBytes("bytes"), rs.getLong("parts"))).optional());
        if (first.isEmpty()) {
            throw new BytesMissing(name(), key);
        }
        return new Parts(key, first.get().bytes(), first.get().parts());
    }

    @Override
    public void delete(String key) throws IOException {
        reach(() -> jdbc.sql(DELETE).param("key", key).update());
    }

    private static <T> T reach(Supplier<T> query) throws IOException {
        try {
            return query.get();
        } catch (DataAccessException e) {
            throw new IOException("The database could not be reached for a file's bytes: " + e.getMessage(), e);
        }
    }

    /** The parts of one file, read in order, one query each, as the reader gets to them. */
    private final class Parts extends InputStream {

        private final String key;
        private final long count;
        private byte[] current;
        private int position;
        private int next = 1;

        Parts(String key, byte[] first, long count) {
            this.key = key;
            this.current = first;
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == current.length) {
                if (next >= count) {
                    return -1;
                }
                current = nextPart();
                position = 0;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, n);
            position += n;
            return n;
        }

        private byte[] nextPart() throws IOException {
            int part = next++;
            Optional<byte[]> bytes = reach(() -> jdbc.sql(PART).param("key", key).param("part", part)
                    .query((rs, row) -> rs.getBytes("bytes")).optional());
            // Parts are written in one transaction; one gone now was deleted while this file was read.
            return bytes.orElseThrow(() -> new IOException("Part " + part + " of " + key + " went missing while read"));
        }
    }
}
