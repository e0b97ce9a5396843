-- Conversations brought in from ChatGPT, Open WebUI or another Nosso (the transfer package). An import is the
-- uploaded file (its bytes in the file store under storage_key until its job has read them), the job that reads
-- it, and the report of what it brought in, what it skipped and why.
CREATE TABLE imports (
    id          UUID    NOT NULL PRIMARY KEY,
    user_id     UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    name        TEXT    NOT NULL,
    size        BIGINT  NOT NULL,
    storage_key TEXT    NOT NULL,
    job_id      UUID    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    format      TEXT,
    report      TEXT,
    error       TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX imports_user ON imports (user_id, id);

-- The chat or message each conversation and message of a source became, by its id in that source: importing
-- the same file again finds them and creates nothing. A row goes with its chat or message, so a chat deleted
-- after its import comes back when the file is imported again. import_id says which import brought it.
CREATE TABLE imported_sources (
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    source     TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    chat_id    UUID NOT NULL REFERENCES chats (id) ON DELETE CASCADE DEFERRABLE,
    message_id UUID REFERENCES messages (id) ON DELETE CASCADE DEFERRABLE,
    import_id  UUID NOT NULL,
    PRIMARY KEY (user_id, source, source_id)
);
CREATE INDEX imported_sources_chat ON imported_sources (chat_id);
CREATE INDEX imported_sources_message ON imported_sources (message_id);
