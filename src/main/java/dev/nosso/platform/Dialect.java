package dev.nosso.platform;

/**
 * The two databases Nosso runs on. Repositories write SQL both speak where they can, and pick one of two
 * statements by dialect where they cannot (full-text search, upserts).
 */
public enum Dialect {
    SQLITE, POSTGRESQL;

    public static Dialect ofUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("NOSSO_DATABASE_URL must start with jdbc:sqlite: or jdbc:postgresql:, got "
                + jdbcUrl.replaceAll("//[^@/]*@", "//***@"));
    }

    /** Picks the statement written for this database. */
    public String pick(String sqlite, String postgresql) {
        return this == SQLITE ? sqlite : postgresql;
    }
}
