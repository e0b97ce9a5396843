/**
 * Uploaded files' bytes: the {@link dev.nosso.knowledge.storage.FileStore} chosen at start-up (a folder,
 * PostgreSQL's {@code file_parts} table, or an S3-compatible bucket), the spool where uploads are received and
 * hashed and where a parser reads a copy, and {@code files-move}, which moves the bytes from one store to
 * another and verifies them. Knows files only by storage key and SHA-256; which user owns a file is checked
 * by the rest of {@code knowledge} before it asks for the bytes.
 */
package dev.nosso.knowledge.storage;
