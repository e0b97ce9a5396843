/**
 * Retrieval: chunks texts (by headings, paragraphs, sentences), embeds them (in-process by default, or by an
 * Ollama or OpenAI-compatible server through {@code provider}), stores the chunks, and searches them by
 * keyword, by meaning or both fused. Each search sits behind an interface chosen once at start-up: by
 * keyword, an in-process Lucene index (BM25), with the database's full-text search answering while an owner
 * loads; by meaning, pgvector's HNSW index on PostgreSQL, or the owners' vectors held in memory on SQLite. It
 * knows nothing about chats or files: callers hand it plain values (owner, source kind, source id, text) and
 * a {@link dev.nosso.retrieval.Scope}. Every search filters by owner inside the query, and drops the passages of
 * sources their owner's package hides while it deletes them ({@link dev.nosso.retrieval.HiddenSources}).
 */
@ApplicationModule(allowedDependencies = {"provider", "platform"})
package dev.nosso.retrieval;

import org.springframework.modulith.ApplicationModule;
