-- Shared links and presets.
--
-- A share is a read-only copy of a chat's shown branch, taken when the owner shares it and again each time the
-- owner updates it, behind an unguessable token that stays the same across updates. One per chat. Revoking
-- deletes the row, so a revoked link is simply not found; deleting the chat deletes its share.
-- snapshot is JSON written by the share package: the title and the branch's messages with their cited
-- passages, nothing else of the chat (no other branch, no ids of the owner's files or chats).
CREATE TABLE shares (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chat_id    TEXT    NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    token      TEXT    NOT NULL,
    snapshot   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX shares_token ON shares (token);
CREATE UNIQUE INDEX shares_chat ON shares (chat_id);
CREATE INDEX shares_user ON shares (user_id);

-- A preset: a named model, system prompt, sampling, collections and memory setting a chat can start from, or
-- that the OpenAI-compatible API takes as a model. Its owner's own, or published by an administrator for
-- everyone; published names are unique, so "preset:<name>" names one preset.
CREATE TABLE presets (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    system_prompt TEXT,
    temperature   REAL,
    max_tokens    INTEGER,
    memory        INTEGER,
    published     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX presets_user_name ON presets (user_id, name);
CREATE UNIQUE INDEX presets_published_name ON presets (name) WHERE published = 1;

CREATE TABLE preset_collections (
    preset_id     TEXT NOT NULL REFERENCES presets (id) ON DELETE CASCADE,
    collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    PRIMARY KEY (preset_id, collection_id)
);
CREATE INDEX preset_collections_collection ON preset_collections (collection_id);
