/**
 * Uploaded files' bytes: the {@link dev.nosso.knowledge.storage.FileStore} chosen at start-up (a folder,
 * PostgreSQL's {@code file_parts} table, or an S3-compatible bucket), the spool where uploads are received and
 * hashed and where a parser reads a copy, and {@code files-move}, which moves the bytes from one store to
 * another and verifies them. Knows files only by storage key and SHA-256; which user owns a file is checked
 * by the rest of {@code knowledge} before it asks for the bytes.
 *
 * <p>Named {@code storage} for the modules that keep bytes of their own for a while: {@code transfer} keeps an
 * uploaded import here until its job has read it, so that any node can run the job, after a restart too.
 */
@NamedInterface("storage")
package dev.nosso.knowledge.storage;

import org.springframework.modulith.NamedInterface;
