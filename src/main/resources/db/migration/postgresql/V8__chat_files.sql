-- Files attached to a chat: every turn of that chat searches them, besides whatever else it names. A file is
-- stored once per owner, so the same file can be attached to several chats. files.chat_id stays what it
-- was: the chat the file was first uploaded in.
CREATE TABLE chat_files (
    chat_id  UUID   NOT NULL REFERENCES chats (id) ON DELETE CASCADE DEFERRABLE,
    file_id  UUID   NOT NULL REFERENCES files (id) ON DELETE CASCADE DEFERRABLE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (chat_id, file_id)
);
CREATE INDEX chat_files_file ON chat_files (file_id);

INSERT INTO chat_files (chat_id, file_id, added_at)
SELECT chat_id, id, created_at FROM files WHERE chat_id IS NOT NULL;
