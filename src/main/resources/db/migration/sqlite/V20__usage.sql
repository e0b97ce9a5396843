-- Usage at a glance, and token budgets (issue 20).

-- What answers cost, per UTC day, user and model: one row each, added to in the transaction that ends an answer
-- (or, for an answer of /v1 that is not stored, just after it ends). The Usage page and the budgets read these
-- rows instead of every message's JSON: a year of 1,000 users is at most a few hundred thousand rows, and a
-- user's spending this month is one short range of an index. Deleting chats leaves these rows, since the
-- tokens were spent all the same. Latency is kept as sums and counts, so that any period's mean is exact.
CREATE TABLE usage_days (
    user_id             TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day                 INTEGER NOT NULL, -- days since 1970-01-01, UTC
    model               TEXT    NOT NULL,
    answers             INTEGER NOT NULL,
    prompt_tokens       INTEGER NOT NULL,
    completion_tokens   INTEGER NOT NULL,
    first_token_ms      INTEGER NOT NULL, -- summed over the answers that had a first token
    first_tokens        INTEGER NOT NULL, -- how many did
    tokens_per_second   REAL    NOT NULL, -- summed over the answers that had a speed
    speeds              INTEGER NOT NULL,
    PRIMARY KEY (day, user_id, model)
) WITHOUT ROWID;
-- A user's spending in a period (the budgets): a short range per user.
CREATE INDEX usage_days_user ON usage_days (user_id, day);

-- Every answer so far that has figures: those stored with their usage.
INSERT INTO usage_days (user_id, day, model, answers, prompt_tokens, completion_tokens, first_token_ms, first_tokens,
                        tokens_per_second, speeds)
SELECT c.user_id, m.created_at / 86400000, COALESCE(m.model, ''), COUNT(*),
       COALESCE(SUM(json_extract(m.usage, '$.promptTokens')), 0),
       COALESCE(SUM(json_extract(m.usage, '$.completionTokens')), 0),
       COALESCE(SUM(json_extract(m.usage, '$.timeToFirstTokenMs')), 0),
       COUNT(json_extract(m.usage, '$.timeToFirstTokenMs')),
       COALESCE(SUM(json_extract(m.usage, '$.tokensPerSecond')), 0.0),
       COUNT(json_extract(m.usage, '$.tokensPerSecond'))
  FROM messages m JOIN chats c ON c.id = m.chat_id
 WHERE m.role = 'assistant' AND m.usage IS NOT NULL
 GROUP BY c.user_id, m.created_at / 86400000, COALESCE(m.model, '');

-- The same figures per day and model alone, added to with the rows above: the charts by day and by model read a
-- few rows a day, whatever the number of users, instead of every user's.
CREATE TABLE usage_model_days (
    day                 INTEGER     NOT NULL,
    model               TEXT        NOT NULL,
    answers             INTEGER          NOT NULL,
    prompt_tokens       INTEGER          NOT NULL,
    completion_tokens   INTEGER          NOT NULL,
    first_token_ms      INTEGER          NOT NULL,
    first_tokens        INTEGER          NOT NULL,
    tokens_per_second   REAL             NOT NULL,
    speeds              INTEGER          NOT NULL,
    PRIMARY KEY (day, model)
) WITHOUT ROWID;

INSERT INTO usage_model_days (day, model, answers, prompt_tokens, completion_tokens, first_token_ms, first_tokens,
                              tokens_per_second, speeds)
SELECT day, model, SUM(answers), SUM(prompt_tokens), SUM(completion_tokens), SUM(first_token_ms), SUM(first_tokens),
       SUM(tokens_per_second), SUM(speeds)
  FROM usage_days GROUP BY day, model;

-- A user's own token budget, instead of the default for everyone (settings 'budgets.default-*'); 0 tokens is
-- unlimited for this user whatever the default.
CREATE TABLE token_budgets (
    user_id    TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    tokens     INTEGER NOT NULL CHECK (tokens >= 0),
    period     TEXT    NOT NULL CHECK (period IN ('day', 'month')),
    updated_at INTEGER NOT NULL
);
