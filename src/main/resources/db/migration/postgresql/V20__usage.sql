-- Usage at a glance, and token budgets (issue 20).

-- What answers cost, per UTC day, user and model: one row each, added to in the transaction that ends an answer
-- (or, for an answer of /v1 that is not stored, just after it ends). The Usage page and the budgets read these
-- rows instead of every message's JSON: a year of 1,000 users is at most a few hundred thousand rows, and a
-- user's spending this month is one short range of an index. Deleting chats leaves these rows, since the
-- tokens were spent all the same. Latency is kept as sums and counts, so that any period's mean is exact.
CREATE TABLE usage_days (
    user_id             UUID             NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    day                 INTEGER          NOT NULL, -- days since 1970-01-01, UTC
    model               TEXT             NOT NULL,
    answers             BIGINT           NOT NULL,
    prompt_tokens       BIGINT           NOT NULL,
    completion_tokens   BIGINT           NOT NULL,
    first_token_ms      BIGINT           NOT NULL, -- summed over the answers that had a first token
    first_tokens        BIGINT           NOT NULL, -- how many did
    tokens_per_second   DOUBLE PRECISION NOT NULL, -- summed over the answers that had a speed
    speeds              BIGINT           NOT NULL,
    PRIMARY KEY (day, user_id, model)
);
-- A user's spending in a period (the budgets): a short range per user.
CREATE INDEX usage_days_user ON usage_days (user_id, day);

-- Every answer so far that has figures: those stored with their usage.
INSERT INTO usage_days (user_id, day, model, answers, prompt_tokens, completion_tokens, first_token_ms, first_tokens,
                        tokens_per_second, speeds)
SELECT c.user_id, (m.created_at / 86400000)::INTEGER, COALESCE(m.model, ''), COUNT(*),
       COALESCE(SUM((m.usage::jsonb ->> 'promptTokens')::BIGINT), 0),
       COALESCE(SUM((m.usage::jsonb ->> 'completionTokens')::BIGINT), 0),
       COALESCE(SUM((m.usage::jsonb ->> 'timeToFirstTokenMs')::BIGINT), 0),
       COUNT(m.usage::jsonb ->> 'timeToFirstTokenMs'),
       COALESCE(SUM((m.usage::jsonb ->> 'tokensPerSecond')::DOUBLE PRECISION), 0),
       COUNT(m.usage::jsonb ->> 'tokensPerSecond')
  FROM messages m JOIN chats c ON c.id = m.chat_id
 WHERE m.role = 'assistant' AND m.usage IS NOT NULL
 GROUP BY c.user_id, (m.created_at / 86400000)::INTEGER, COALESCE(m.model, '');

-- The same figures per day and model alone, added to with the rows above: the charts by day and by model read a
-- few rows a day, whatever the number of users, instead of every user's.
CREATE TABLE usage_model_days (
    day                 INTEGER          NOT NULL,
    model               TEXT             NOT NULL,
    answers             BIGINT           NOT NULL,
    prompt_tokens       BIGINT           NOT NULL,
    completion_tokens   BIGINT           NOT NULL,
    first_token_ms      BIGINT           NOT NULL,
    first_tokens        BIGINT           NOT NULL,
    tokens_per_second   DOUBLE PRECISION NOT NULL,
    speeds              BIGINT           NOT NULL,
    PRIMARY KEY (day, model)
);

INSERT INTO usage_model_days (day, model, answers, prompt_tokens, completion_tokens, first_token_ms, first_tokens,
                              tokens_per_second, speeds)
SELECT day, model, SUM(answers), SUM(prompt_tokens), SUM(completion_tokens), SUM(first_token_ms), SUM(first_tokens),
       SUM(tokens_per_second), SUM(speeds)
  FROM usage_days GROUP BY day, model;

-- A user's own token budget, instead of the default for everyone (settings 'budgets.default-*'); 0 tokens is
-- unlimited for this user whatever the default.
CREATE TABLE token_budgets (
    user_id    UUID   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    tokens     BIGINT NOT NULL CHECK (tokens >= 0),
    period     TEXT   NOT NULL CHECK (period IN ('day', 'month')),
    updated_at BIGINT NOT NULL
);
