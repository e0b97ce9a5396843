-- Nosso's foundation on PostgreSQL: accounts, chats and the message tree.
-- Timestamps are epoch milliseconds (BIGINT), as on SQLite, so both databases share every statement and a
-- copy between them is exact. Foreign keys are DEFERRABLE so that the SQLite-to-PostgreSQL copy may load
-- rows in any order within a transaction; the application never defers them.

CREATE TABLE users (
    id            UUID    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'user', 'pending')),
    status        TEXT    NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE sessions (
    id           UUID   NOT NULL PRIMARY KEY,
    user_id      UUID   NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    token_hash   TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    id           UUID   NOT NULL PRIMARY KEY,
    user_id      UUID   NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    name         TEXT   NOT NULL,
    prefix       TEXT   NOT NULL,
    key_hash     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE settings (
    name       TEXT   NOT NULL PRIMARY KEY,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE folders (
    id         UUID   NOT NULL PRIMARY KEY,
    user_id    UUID   NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    name       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX folders_user ON folders (user_id, name);

CREATE TABLE chats (
    id             UUID    NOT NULL PRIMARY KEY,
    user_id        UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    title          TEXT    NOT NULL,
    folder_id      UUID    REFERENCES folders (id) ON DELETE SET NULL DEFERRABLE,
    pinned         BOOLEAN NOT NULL DEFAULT FALSE,
    archived       BOOLEAN NOT NULL DEFAULT FALSE,
    active_leaf_id UUID,
    message_count  INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    search         TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED
);
CREATE INDEX chats_user_updated ON chats (user_id, updated_at, id);
CREATE INDEX chats_folder ON chats (folder_id);
CREATE INDEX chats_search ON chats USING gin (search);

-- parent_id has no ON DELETE action: a subtree is deleted by one statement, checked at its end.
CREATE TABLE messages (
    id         UUID    NOT NULL PRIMARY KEY,
    chat_id    UUID    NOT NULL REFERENCES chats (id) ON DELETE CASCADE DEFERRABLE,
    parent_id  UUID    REFERENCES messages (id) DEFERRABLE,
    depth      INTEGER NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content    TEXT    NOT NULL,
    model      TEXT,
    status     TEXT    NOT NULL CHECK (status IN ('pending', 'streaming', 'complete', 'cancelled', 'error', 'interrupted')),
    error      TEXT,
    usage      TEXT,
    sources    TEXT,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    search     TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED
);
CREATE INDEX messages_chat_parent ON messages (chat_id, parent_id);
CREATE INDEX messages_parent ON messages (parent_id);
CREATE INDEX messages_search ON messages USING gin (search);

CREATE TABLE tags (
    id         UUID   NOT NULL PRIMARY KEY,
    user_id    UUID   NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    name       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tags_user_name ON tags (user_id, name);

CREATE TABLE chat_tags (
    chat_id UUID NOT NULL REFERENCES chats (id) ON DELETE CASCADE DEFERRABLE,
    tag_id  UUID NOT NULL REFERENCES tags (id) ON DELETE CASCADE DEFERRABLE,
    PRIMARY KEY (chat_id, tag_id)
);
CREATE INDEX chat_tags_tag ON chat_tags (tag_id);
