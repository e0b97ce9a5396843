-- Embedding models of any vector length: the column loses its fixed length, and each model gets its own
-- HNSW index over its rows only, on the expression embedding::vector(n) (pgvector's way of indexing vectors
-- of several lengths). The in-process models (384 numbers each) share the index made here; the application
-- makes one for a remote model the first time it sees its vector length (VectorIndexes). Search filters on
-- the model and casts the same way, so the planner picks the model's index.
DROP INDEX chunks_embedding;
ALTER TABLE chunks ALTER COLUMN embedding TYPE vector;
CREATE INDEX chunks_embedding_384 ON chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops)
    WHERE embedding_model IN ('bge-small-en-v15-q', 'all-minilm-l6-v2');
