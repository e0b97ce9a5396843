-- Nosso's foundation on SQLite: accounts, chats and the message tree.
-- Ids are UUIDv7 text; timestamps are epoch milliseconds; booleans are 0/1.
-- Tables searched with FTS5 carry an explicit INTEGER PRIMARY KEY (seq): VACUUM may renumber an implicit
-- rowid, which would silently detach an external-content FTS index from its rows.

CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'user', 'pending')),
    status        TEXT    NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE sessions (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- Instance-wide settings an administrator changes at run time (sign-up on/off, the default role, ...).
CREATE TABLE settings (
    name       TEXT    NOT NULL PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE folders (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX folders_user ON folders (user_id, name);

CREATE TABLE chats (
    seq            INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    user_id        TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    folder_id      TEXT    REFERENCES folders (id) ON DELETE SET NULL,
    pinned         INTEGER NOT NULL DEFAULT 0,
    archived       INTEGER NOT NULL DEFAULT 0,
    active_leaf_id TEXT,
    message_count  INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX chats_user_updated ON chats (user_id, updated_at, id);
CREATE INDEX chats_folder ON chats (folder_id);

-- The message tree: siblings share a parent; the active branch runs from chats.active_leaf_id to a root.
-- parent_id has no ON DELETE action: a subtree is deleted by one statement, and the constraint is checked
-- at its end (a cascade would recurse once per level and hit SQLite's trigger depth on long chats).
CREATE TABLE messages (
    seq        INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    chat_id    TEXT    NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    parent_id  TEXT    REFERENCES messages (id),
    depth      INTEGER NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content    TEXT    NOT NULL,
    model      TEXT,
    status     TEXT    NOT NULL CHECK (status IN ('pending', 'streaming', 'complete', 'cancelled', 'error', 'interrupted')),
    error      TEXT,
    usage      TEXT,
    sources    TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX messages_chat_parent ON messages (chat_id, parent_id);
CREATE INDEX messages_parent ON messages (parent_id);

CREATE TABLE tags (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX tags_user_name ON tags (user_id, name);

CREATE TABLE chat_tags (
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    tag_id  TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, tag_id)
);
CREATE INDEX chat_tags_tag ON chat_tags (tag_id);

-- Full-text search over titles and message text. External content: the text is stored once, in its table.
CREATE VIRTUAL TABLE chats_fts USING fts5(title, content = 'chats', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER chats_fts_insert AFTER INSERT ON chats BEGIN
    INSERT INTO chats_fts (rowid, title) VALUES (new.seq, new.title);
END;
CREATE TRIGGER chats_fts_delete AFTER DELETE ON chats BEGIN
    INSERT INTO chats_fts (chats_fts, rowid, title) VALUES ('delete', old.seq, old.title);
END;
CREATE TRIGGER chats_fts_update AFTER UPDATE OF title ON chats BEGIN
    INSERT INTO chats_fts (chats_fts, rowid, title) VALUES ('delete', old.seq, old.title);
    INSERT INTO chats_fts (rowid, title) VALUES (new.seq, new.title);
END;

CREATE VIRTUAL TABLE messages_fts USING fts5(content, content = 'messages', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
END;
