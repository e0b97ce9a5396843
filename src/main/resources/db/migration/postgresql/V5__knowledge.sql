-- Work done later, off the request thread, and never lost: a job row is written in the same transaction as
-- the change that needs it. A worker claims a row by setting a lease; a row whose lease has expired belongs
-- to a worker that died, and is claimed again. attempts doubles as the claim's fencing token.
CREATE TABLE jobs (
    id             UUID    NOT NULL PRIMARY KEY,
    user_id        UUID    REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    kind           TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress_done  INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER NOT NULL DEFAULT 0,
    error          TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    run_after      BIGINT  NOT NULL,
    lease_until    BIGINT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);

-- Claiming reads only the unfinished jobs, however many finished ones the table keeps.
CREATE INDEX jobs_unfinished ON jobs (state, run_after, created_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_user ON jobs (user_id);

-- Uploaded files. The bytes live on disk, named by their SHA-256 (storage_key); a user's same bytes are one row.
CREATE TABLE files (
    id          UUID    NOT NULL PRIMARY KEY,
    user_id     UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    name        TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size        BIGINT  NOT NULL,
    sha256      TEXT    NOT NULL,
    storage_key TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'processing', 'ready', 'failed')),
    error       TEXT,
    job_id      UUID,
    chat_id     UUID    REFERENCES chats (id) ON DELETE SET NULL DEFERRABLE,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    UNIQUE (user_id, sha256)
);

CREATE INDEX files_user_created ON files (user_id, created_at, id);
CREATE INDEX files_storage_key ON files (storage_key);

CREATE TABLE collections (
    id          UUID    NOT NULL PRIMARY KEY,
    user_id     UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    name        TEXT    NOT NULL,
    description TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE INDEX collections_user ON collections (user_id, name);

CREATE TABLE collection_files (
    collection_id UUID    NOT NULL REFERENCES collections (id) ON DELETE CASCADE DEFERRABLE,
    file_id       UUID    NOT NULL REFERENCES files (id) ON DELETE CASCADE DEFERRABLE,
    added_at      BIGINT  NOT NULL,
    PRIMARY KEY (collection_id, file_id)
);

CREATE INDEX collection_files_file ON collection_files (file_id);
