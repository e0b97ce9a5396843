/**
 * {@code copy-to-postgres}, the command that moves a Nosso server from its SQLite file to PostgreSQL: it
 * copies every table into an empty PostgreSQL database with ids and timestamps kept, resumes after an
 * interruption and verifies row counts and checksums at the end. {@code NossoApplication} runs it when the
 * first argument names it.
 *
 * <p>It runs before and without the Spring context, on plain JDBC and Flyway, and reads tables by the target
 * schema's own metadata, so it uses no other module's code and needs no change when a module adds a table.
 *
 * @see dev.nosso.copy.CopyToPostgres
 */
@ApplicationModule(allowedDependencies = {})
package dev.nosso.copy;

import org.springframework.modulith.ApplicationModule;
