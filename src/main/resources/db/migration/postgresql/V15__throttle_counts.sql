-- Sign-in throttling shared by the nodes of one database (without Redis): per key (an email, a client
-- address), the attempts taken in the current window and when it ends, in epoch milliseconds by the
-- database's clock. allowed is the verdict of the last attempt, written by the statement that counts it so
-- that it can return it.
CREATE TABLE throttle_counts (
    key         TEXT    PRIMARY KEY,
    taken       INTEGER NOT NULL,
    window_ends BIGINT  NOT NULL,
    allowed     BOOLEAN NOT NULL
);

CREATE INDEX throttle_counts_window_ends ON throttle_counts (window_ends);
