-- The node generating an answer. SQLite has one node, so it has no table of nodes; the column is here so that
-- both databases have the same messages (and copy-to-postgres copies it).
ALTER TABLE messages ADD COLUMN node_id TEXT;
