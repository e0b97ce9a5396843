/**
 * Retrieval: chunks texts (by headings, paragraphs, sentences), embeds them (in-process by default, or by an
 * Ollama or OpenAI-compatible server through {@code provider}), stores the chunks with a full-text index and
 * a vector index (SQLite: exact search in memory; PostgreSQL: pgvector HNSW), and searches them by keyword,
 * by meaning or both fused. It knows nothing about chats or files: callers hand it
 * plain values (owner, source kind, source id, text). Every search filters by owner inside the query.
 */
@ApplicationModule(allowedDependencies = {"platform", "identity", "provider"})
package dev.nosso.retrieval;

import org.springframework.modulith.ApplicationModule;
