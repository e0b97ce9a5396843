-- The in-process models' HNSW graph is built with 12 neighbours per node instead of pgvector's default 16
-- (VectorIndexes.GRAPH, for remote models, says the same). Every insertion updates its neighbours' lists,
-- so the cost of indexing a chunk follows m: in psql, 2,000 chunks into a table of 22,000 took 1.05 s of
-- PostgreSQL's CPU instead of 1.55 s, on the same cores the embedding model runs on. Measured at 120,000
-- chunks (bench/README.md): vector recall@10 0.987 instead of 0.990, searches faster (8.6 ms instead of 9.8
-- with the query embedding), the build 18 s instead of 26. m = 8 kept only 0.961.
-- Rebuilding reads every chunk once. The graph of 120,000 chunks needs about 150 MB while it is built: with
-- PostgreSQL's default maintenance_work_mem of 64 MB the build spills and took 31 s here, with 256 MB 13 s.
-- The setting is a ceiling, not an allocation, and lasts only for this migration's transaction.
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX IF EXISTS chunks_embedding_384_half;
CREATE INDEX chunks_embedding_384_half ON chunks USING hnsw ((embedding::halfvec(384)) halfvec_cosine_ops)
    WITH (m = 12, ef_construction = 64)
    WHERE embedding_model IN ('bge-small-en-v15-q', 'all-minilm-l6-v2');
