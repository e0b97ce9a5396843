package dev.nosso.copy;

import java.nio.file.Path;

/**
 * The command line of {@code copy-to-postgres}. The PostgreSQL user and password may come from
 * {@code NOSSO_DATABASE_USER} and {@code NOSSO_DATABASE_PASSWORD}, so a password need not appear in the
 * process list.
 *
 * @param batchSize   rows per committed transaction: the most a re-run after an interruption repeats
 * @param indexMemory PostgreSQL's {@code maintenance_work_mem} while the indexes are built after the copy: an
 *                    HNSW graph that does not fit is built partly on disk, several times slower
 */
record CopyOptions(Path from, String to, String user, String password, int batchSize, String indexMemory) {

    static final String USAGE = """
            usage: copy-to-postgres --from <nosso.db> --to jdbc:postgresql://host[:port]/database \
            [--user U] [--password P] [--batch-size N] [--index-memory 1GB]""";

    static CopyOptions parse(String[] args) {
        Path from = null;
        String to = null;
        String user = System.getenv("NOSSO_DATABASE_USER");
        String password = System.getenv("NOSSO_DATABASE_PASSWORD");
        int batchSize = 1000;
        String indexMemory = "1GB";
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--from" -> from = Path.of(value);
                case "--to" -> to = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--batch-size" -> batchSize = positive(name, value);
                case "--index-memory" -> indexMemory = memory(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (from == null || to == null) {
            throw new IllegalArgumentException("--from and --to are required");
        }
        if (!to.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--to must be a jdbc:postgresql: URL");
        }
        return new CopyOptions(from, to, blankToNull(user), blankToNull(password), batchSize, indexMemory);
    }

    /** The target without its query string, which may hold a password. */
    String target() {
        int query = to.indexOf('?');
        return query < 0 ? to : to.substring(0, query);
    }

    String sqliteUrl() {
        return "jdbc:sqlite:" + from + "?busy_timeout=10000&foreign_keys=true";
    }

    private static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(name + " must be a positive number, got " + value);
    }

    private static String memory(String name, String value) {
        if (value.matches("[1-9][0-9]{0,5}(MB|GB)")) {
            return value;
        }
        throw new IllegalArgumentException(name + " must be a size such as 256MB or 2GB, got " + value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
