-- The nodes sharing this database, each renewing seen_at every heartbeat (by the database's clock). An answer
-- being generated names its node, so that only the answers of a node that has gone silent are interrupted.
CREATE TABLE nodes (
    id         UUID        PRIMARY KEY,
    name       TEXT        NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL
);

ALTER TABLE messages ADD COLUMN node_id UUID;
