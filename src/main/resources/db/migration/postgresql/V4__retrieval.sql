-- Retrieval: the chunks of files and of finished messages, with their embeddings and a full-text index.
-- Set-up creates the extension as a superuser; here IF NOT EXISTS is then a no-op for the app's role.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE chunks (
    id              UUID        NOT NULL PRIMARY KEY,
    user_id         UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    source_kind     TEXT        NOT NULL CHECK (source_kind IN ('file', 'message')),
    source_id       UUID        NOT NULL,
    source_name     TEXT        NOT NULL,
    chat_id         UUID,
    ordinal         INTEGER     NOT NULL,
    heading_path    TEXT        NOT NULL,
    text            TEXT        NOT NULL,
    token_count     INTEGER     NOT NULL,
    embedding_model TEXT        NOT NULL,
    embedding       VECTOR(384) NOT NULL,
    created_at      BIGINT      NOT NULL,
    search          TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', heading_path || ' ' || text)) STORED
);
CREATE INDEX chunks_source ON chunks (user_id, source_kind, source_id, ordinal);
CREATE INDEX chunks_search ON chunks USING gin (search);
-- Cosine distance (<=>) on normalised vectors; filtered queries use iterative scans (pgvector 0.8).
CREATE INDEX chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops);
