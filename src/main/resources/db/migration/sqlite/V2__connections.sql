-- Connections to model providers (OpenAI-compatible servers and Ollama). An API key is stored only sealed
-- with the server's secret key (AES-GCM, "v1:" + base64 of nonce and ciphertext), never in plain text.
-- source: 'env' for the connections the environment declares (NOSSO_OPENAI_BASE_URL, NOSSO_OLLAMA_URL),
-- re-applied at each start; 'admin' for those made through the admin API.
CREATE TABLE connections (
    id                 TEXT    NOT NULL PRIMARY KEY,
    kind               TEXT    NOT NULL CHECK (kind IN ('openai', 'ollama')),
    name               TEXT    NOT NULL,
    base_url           TEXT    NOT NULL,
    api_key_ciphertext TEXT,
    enabled            INTEGER NOT NULL DEFAULT 1,
    source             TEXT    NOT NULL CHECK (source IN ('env', 'admin')),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX connections_name ON connections (name);
