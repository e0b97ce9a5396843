-- The files sent with a message (a question's images and documents), as JSON: [{"id", "name", "mediaType",
-- "size"}], null for none. Kept on the row, as sources are, so that reading a branch needs no other table; a
-- file deleted later stays named here and is shown as gone.
ALTER TABLE messages ADD COLUMN attachments TEXT;

-- A connection an administrator made in place of the one the environment declares under the same name
-- (NOSSO_OLLAMA_URL, NOSSO_OPENAI_BASE_URL): the next start leaves it alone instead of taking it back.
ALTER TABLE connections ADD COLUMN replaces_environment INTEGER NOT NULL DEFAULT 0;
