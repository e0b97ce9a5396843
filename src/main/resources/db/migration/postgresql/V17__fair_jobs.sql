-- One user cannot starve the others (issue 19).

-- Jobs come in two classes: interactive (0: a file someone is waiting for) before background (1: memory,
-- re-indexing). Within a class the claim prefers the owner with the fewest running jobs, then the owner whose
-- last claim is oldest (job_turns), so every owner's work gets its share of the workers.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;

CREATE TABLE job_turns (
    user_id    UUID    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    claimed_at BIGINT  NOT NULL
);

-- "Is a job of this kind already queued for this owner?", asked each time a message is queued for memory.
CREATE INDEX jobs_queued_owner ON jobs (user_id, kind) WHERE state = 'queued';

-- Messages waiting to be remembered, one row each, written in the transaction that finishes or edits the
-- message; a remember-messages job per owner indexes them a batch at a time. queued_at changes at each edit, so
-- a job removes only the rows it indexed as they were.
CREATE TABLE memory_queue (
    message_id UUID    NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE DEFERRABLE,
    user_id    UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    queued_at  BIGINT  NOT NULL
);

CREATE INDEX memory_queue_user ON memory_queue (user_id, queued_at);

-- The index-message jobs still waiting become rows of the queue, and one remember-messages job per owner.
INSERT INTO memory_queue (message_id, user_id, queued_at)
SELECT m.id, j.user_id, MIN(j.created_at)
  FROM jobs j JOIN messages m ON m.id = (j.payload::jsonb ->> 'messageId')::uuid
 WHERE j.kind = 'index-message' AND j.state IN ('queued', 'running') AND j.user_id IS NOT NULL
 GROUP BY m.id, j.user_id;

INSERT INTO jobs (id, user_id, kind, payload, state, run_after, created_at, updated_at, priority)
SELECT gen_random_uuid(), user_id, 'remember-messages', '{}', 'queued', MIN(queued_at), MIN(queued_at),
       MIN(queued_at), 1
  FROM memory_queue GROUP BY user_id;

DELETE FROM jobs WHERE kind = 'index-message' AND state IN ('queued', 'running');

-- A chat's tree is read a page at a time in (depth, id) order.
CREATE INDEX messages_chat_depth ON messages (chat_id, depth, id);
