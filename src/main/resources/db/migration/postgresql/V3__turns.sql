-- A chat's settings for the model it talks to: NULL means "not set" (fall back to the user's default, then
-- the provider's).
ALTER TABLE chats ADD COLUMN model TEXT;
ALTER TABLE chats ADD COLUMN system_prompt TEXT;
ALTER TABLE chats ADD COLUMN temperature DOUBLE PRECISION;
ALTER TABLE chats ADD COLUMN max_tokens INTEGER;

-- Per-user preferences that are not part of the account itself.
CREATE TABLE user_preferences (
    user_id       UUID   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    system_prompt TEXT,
    updated_at    BIGINT NOT NULL
);

-- Start-up finds the answers a dead process left unfinished through this small index, not a table scan.
CREATE INDEX messages_unfinished ON messages (status) WHERE status IN ('pending', 'streaming');

-- The text of an answer while it streams. Checkpoints write here, not to content, so that the full-text
-- index (a trigger on SQLite, a generated column on PostgreSQL) is built once when the answer ends, not
-- again at every checkpoint. Reads show COALESCE(partial, content).
ALTER TABLE messages ADD COLUMN partial TEXT;
