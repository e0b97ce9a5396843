-- Retrieval: the chunks of files and of finished messages, with their embeddings and a full-text index.
-- The embedding is float32 little-endian in a BLOB; search compares only vectors of the current model.
CREATE TABLE chunks (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    user_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_kind     TEXT    NOT NULL CHECK (source_kind IN ('file', 'message')),
    source_id       TEXT    NOT NULL,
    source_name     TEXT    NOT NULL,
    chat_id         TEXT,
    ordinal         INTEGER NOT NULL,
    heading_path    TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    token_count     INTEGER NOT NULL,
    embedding_model TEXT    NOT NULL,
    embedding       BLOB    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX chunks_source ON chunks (user_id, source_kind, source_id, ordinal);
CREATE INDEX chunks_user_model ON chunks (user_id, embedding_model);

CREATE VIRTUAL TABLE chunks_fts USING fts5(heading_path, text, content = 'chunks', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, heading_path, text) VALUES (new.seq, new.heading_path, new.text);
END;
CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, heading_path, text) VALUES ('delete', old.seq, old.heading_path, old.text);
END;
CREATE TRIGGER chunks_fts_update AFTER UPDATE OF heading_path, text ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, heading_path, text) VALUES ('delete', old.seq, old.heading_path, old.text);
    INSERT INTO chunks_fts (rowid, heading_path, text) VALUES (new.seq, new.heading_path, new.text);
END;
