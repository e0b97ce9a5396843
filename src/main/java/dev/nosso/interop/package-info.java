/**
 * Nosso as seen from outside tools. The OpenAI-compatible API ({@code GET /v1/models},
 * {@code POST /v1/chat/completions}, streamed or whole) lets OpenAI's clients use the models of every
 * connection with a Nosso API key. A completion is a turn started by {@code generation}'s {@code Turns}, like
 * a message sent in the web UI, and read here as OpenAI's completion or chunk stream; it is stateless unless
 * the request asks {@code "store": true}, which keeps the exchange as a chat of the key's owner, checkpointed
 * as it streams. Its errors come in OpenAI's shape; {@code identity} gives the refusals of the security chain
 * that shape under {@code /v1}.
 *
 * <p>Also {@code copy-to-postgres}, which copies every table of a SQLite file into an empty PostgreSQL
 * database with ids and timestamps kept, resumes after an interruption and verifies row counts and checksums
 * at the end. It runs before and without the Spring context, on plain JDBC and Flyway, and reads tables by
 * the target schema's own metadata, so it uses no other module's code and needs no change when a module
 * adds a table.
 *
 * @see dev.nosso.interop.OpenAiController
 * @see dev.nosso.interop.CopyToPostgres
 */
@ApplicationModule(allowedDependencies = {"generation", "chat", "provider", "identity", "platform"})
package dev.nosso.interop;

import org.springframework.modulith.ApplicationModule;
