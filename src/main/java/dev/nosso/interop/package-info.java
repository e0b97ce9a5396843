/**
 * Moving a Nosso instance's data between databases. For now it owns {@code copy-to-postgres}, which copies
 * every table of a SQLite file into an empty PostgreSQL database with ids and timestamps kept, resumes after
 * an interruption and verifies row counts and checksums at the end. It runs before and without the Spring
 * context, on plain JDBC and Flyway, and reads tables by the target schema's own metadata, so it uses no
 * other module's code and needs no change when a module adds a table.
 *
 * @see dev.nosso.interop.CopyToPostgres
 */
@ApplicationModule(allowedDependencies = "platform")
package dev.nosso.interop;

import org.springframework.modulith.ApplicationModule;
