-- Work done later, off the request thread, and never lost: a job row is written in the same transaction as
-- the change that needs it. A worker claims a row by setting a lease; a row whose lease has expired belongs
-- to a worker that died, and is claimed again. attempts doubles as the claim's fencing token.
CREATE TABLE jobs (
    id             TEXT    NOT NULL PRIMARY KEY,
    user_id        TEXT    REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress_done  INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER NOT NULL DEFAULT 0,
    error          TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    run_after      INTEGER NOT NULL,
    lease_until    INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

-- Claiming reads only the unfinished jobs, however many finished ones the table keeps.
CREATE INDEX jobs_unfinished ON jobs (state, run_after, created_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_user ON jobs (user_id);

-- Uploaded files. The bytes live on disk, named by their SHA-256 (storage_key); a user's same bytes are one row.
CREATE TABLE files (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    storage_key TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'processing', 'ready', 'failed')),
    error       TEXT,
    job_id      TEXT,
    chat_id     TEXT    REFERENCES chats (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (user_id, sha256)
);

CREATE INDEX files_user_created ON files (user_id, created_at, id);
CREATE INDEX files_storage_key ON files (storage_key);

CREATE TABLE collections (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE INDEX collections_user ON collections (user_id, name);

CREATE TABLE collection_files (
    collection_id TEXT    NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    file_id       TEXT    NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    added_at      INTEGER NOT NULL,
    PRIMARY KEY (collection_id, file_id)
);

CREATE INDEX collection_files_file ON collection_files (file_id);
