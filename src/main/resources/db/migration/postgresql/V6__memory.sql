-- Memory of past conversations: a user may turn it off (and their message chunks are deleted).
ALTER TABLE user_preferences ADD COLUMN memory BOOLEAN NOT NULL DEFAULT TRUE;

-- Deleting a chat deletes its message chunks through this index, not a scan of the user's chunks.
CREATE INDEX chunks_chat ON chunks (user_id, chat_id) WHERE chat_id IS NOT NULL;
