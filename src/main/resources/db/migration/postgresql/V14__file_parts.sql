-- Uploaded files' bytes, when they live in the database (nosso.files.store = database, the default on
-- PostgreSQL) so that every node reads them. A file is cut into parts of 1 MiB under its storage key, which
-- names the content: files with the same bytes share one copy, and reading or writing holds one part in
-- memory at a time. Plain rows rather than large objects: pg_dump, replication and DELETE treat them as any
-- other data, and nothing is left behind when the bytes go.
CREATE TABLE file_parts (
    storage_key TEXT    NOT NULL,
    part        INTEGER NOT NULL,
    bytes       BYTEA   NOT NULL,
    PRIMARY KEY (storage_key, part)
);

-- Most uploads (PDF, DOCX) are compressed already: kept out of line as they are, instead of spending CPU on a
-- compression that saves nothing.
ALTER TABLE file_parts ALTER COLUMN bytes SET STORAGE EXTERNAL;
