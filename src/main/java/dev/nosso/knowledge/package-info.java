/**
 * Files and collections: uploads (type checked by content, bytes stored once per content in the file store of
 * {@code storage}: a folder, PostgreSQL or S3-compatible storage, chosen at start-up), their
 * ingestion as durable jobs (Tika parses in parser processes of their own, under a time, memory and size limit,
 * so that no file can take the server's memory; the text then goes to {@code retrieval}), collections of files, and which files a search or a grounded answer may read
 * ({@link dev.nosso.knowledge.Knowledge}). Images for vision models are files too: decoded and encoded again
 * ({@code Images}), ready at once, never ingested; {@code MessageFiles} checks the files a message is sent with
 * and reads its images back for a prompt. Every statement filters by owner.
 * The chunks themselves belong to {@code retrieval}; the queue and its progress API to {@code platform}; the
 * search API to {@code search}.
 */
@ApplicationModule(allowedDependencies = {"retrieval", "platform", "identity"})
package dev.nosso.knowledge;

import org.springframework.modulith.ApplicationModule;
