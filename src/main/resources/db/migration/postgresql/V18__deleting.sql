-- Deleting at once, sweeping later: a deleted subtree's messages are marked in one statement and a deleted chat
-- is marked on its row, so every read stops showing them in the same commit; a sweep-deleted job then removes the
-- rows in short batches. The partial indexes find what is left to sweep, also after a restart.
ALTER TABLE messages ADD COLUMN deleting BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX messages_deleting ON messages (chat_id, depth, id) WHERE deleting;
ALTER TABLE chats ADD COLUMN deleted_at BIGINT;
CREATE INDEX chats_deleted ON chats (user_id) WHERE deleted_at IS NOT NULL;
