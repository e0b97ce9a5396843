-- Keyword search runs on an in-memory index in each server process (retrieval/KeywordIndex), built from the
-- chunks table. Every change to an owner's chunks bumps the owner's version and records what it touched in the
-- same transaction. The version row stays locked until that transaction ends, so versions are given out, and
-- committed, in order and without gaps: a node can tell with one lookup whether what it holds is current and,
-- if not, replay just the changes it missed, made by itself or by another node.
CREATE TABLE chunk_versions (
    user_id UUID   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);

-- change: 'source' (the source's chunks were replaced or deleted; target is its id), 'chat' (a chat's message
-- chunks were deleted; target is the chat id) or 'kind' (all chunks of a kind were deleted; target is the kind).
-- Only the latest changes of each owner are kept; a node further behind loads the owner again.
CREATE TABLE chunk_changes (
    user_id UUID   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    change  TEXT   NOT NULL CHECK (change IN ('source', 'chat', 'kind')),
    target  TEXT   NOT NULL,
    PRIMARY KEY (user_id, version)
);
