/**
 * Backups of a SQLite installation a person can trust: {@code backup --to FILE} takes a consistent copy of the
 * database while the server serves (SQLite's {@code VACUUM INTO}, a read of one snapshot) with the stored
 * files' bytes that its rows name (uploads, and imports not yet read) and the key that seals stored API keys,
 * all in one zip; {@code restore --from FILE} puts it back into a data folder, checking the database's integrity and every file's SHA-256, and
 * refuses a folder that holds data (unless told) or that a running server holds. {@code NossoApplication}
 * runs either when the first argument names it. On PostgreSQL the README's {@code pg_dump} recipe is the backup.
 *
 * <p>Like {@code copy}, it works on plain JDBC and files and reads the settings as the server does, so it uses
 * no other module's code; the one bean, {@link dev.nosso.backup.ServerLock}, marks a data folder as in use.
 */
@ApplicationModule(allowedDependencies = {"platform"})
package dev.nosso.backup;

import org.springframework.modulith.ApplicationModule;
