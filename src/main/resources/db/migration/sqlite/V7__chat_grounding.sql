-- What a chat's turns are grounded on when a turn names nothing itself: collections of the owner's files,
-- and whether the owner's past messages are searched. A deleted collection leaves its chats by itself.
CREATE TABLE chat_collections (
    chat_id       TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, collection_id)
);
CREATE INDEX chat_collections_collection ON chat_collections (collection_id);

ALTER TABLE chats ADD COLUMN memory INTEGER;
