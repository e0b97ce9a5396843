package dev.nosso.retrieval;

import dev.nosso.platform.Dialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL's HNSW index for a remote embedding model, made the first time its vector length is known (the
 * in-process models' index comes with migration V11). It is built concurrently, in the background: writes go
 * on meanwhile, and until it is ready a search of that model scans its rows exactly. SQLite needs nothing.
 */
@Component
class VectorIndexes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VectorIndexes.class);

    /** The in-process models' index, made by a migration; never dropped here. */
    static final String BUILT_IN = "chunks_embedding_384_half";

    /**
     * How every HNSW graph here is built: 12 neighbours per node rather than pgvector's 16, for inserts about a
     * third cheaper at nearly the same recall (measured in migration V12, which builds the built-in index so).
     */
    static final String GRAPH = "m = 12, ef_construction = 64";

    private final JdbcClient jdbc;
    private final Dialect dialect;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final ExecutorService builder = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("vector-index").factory());

    VectorIndexes(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /**
     * The type a model's vectors are cast to, in its index and in every search: half precision, which pgvector
     * indexes up to 4,000 numbers, in an index half the size of a float32 one and ranking as well (see
     * migration V11).
     */
    static String vectorType(int dimensions) {
        return "halfvec(" + dimensions + ")";
    }

    /** A model id as an SQL string literal; the index's predicate and the search must read the same constant. */
    static String literal(String model) {
        return "'" + model.replace("'", "''") + "'";
    }

    static String indexName(String model, int dimensions) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((model + "\n" + vectorType(dimensions)).getBytes(StandardCharsets.UTF_8));
            return "chunks_embedding_" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts building the model's index unless it exists or is being built; returns at once. */
    void ensure(String model, int dimensions) {
        if (dialect != Dialect.POSTGRESQL || OnnxEmbedder.NAMES.contains(model) || !started.add(model + "\n" + dimensions)) {
            return;
        }
        builder.execute(() -> build(model, dimensions));
    }

    /**
     * Drops, in the background, the indexes of remote models other than the current one, and the current one's
     * full-precision index from before V11: search uses only the current model's half-precision index, and
     * each other would otherwise go on costing every write of its rows.
     */
    void dropAllBut(String model) {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        builder.execute(() -> {
            try {
                List<String> unused = jdbc.sql("""
                        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                         WHERE i.indrelid = 'chunks'::regclass AND c.relname LIKE 'chunks\\_embedding\\_%'
                           AND c.relname <> :builtIn
                           AND (strpos(pg_get_expr(i.indpred, i.indrelid), :current) = 0
                                OR strpos(pg_get_indexdef(i.indexrelid), 'halfvec') = 0)
                        """).param("builtIn", BUILT_IN).param("current", literal(model)).query(String.class).list();
                for (String name : unused) {
                    jdbc.sql("DROP INDEX CONCURRENTLY IF EXISTS " + name).update();
                    log.info("Dropped the vector index {} of an embedding model no longer used", name);
                }
            } catch (RuntimeException e) {
                log.warn("Could not drop the vector indexes of former embedding models: {}", e.getMessage());
            }
        });
    }

    private void build(String model, int dimensions) {
        String name = indexName(model, dimensions);
        try {
            Boolean valid = jdbc.sql("""
                    SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                     WHERE i.indrelid = 'chunks'::regclass AND c.relname = :name
                    """).param("name", name).query(Boolean.class).optional().orElse(null);
            if (Boolean.TRUE.equals(valid)) {
                return;
            }
            if (valid != null) { // left invalid by a build that was interrupted: start again
                jdbc.sql("DROP INDEX CONCURRENTLY IF EXISTS " + name).update();
            }
            String type = vectorType(dimensions);
            long start = System.nanoTime();
            log.info("Building the vector index {} for the embedding model {} ({} dimensions)", name, model, dimensions);
            jdbc.sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + name + " ON chunks USING hnsw ((embedding::" + type
                    + ") halfvec_cosine_ops) WITH (" + GRAPH + ") WHERE embedding_model = " + literal(model)).update();
            log.info("Built the vector index {} in {} ms", name, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            started.remove(model + "\n" + dimensions); // the next search or indexing tries again
            log.warn("Could not build the vector index {} for {}: {}", name, model, e.getMessage());
        }
    }

    @Override
    public void close() {
        builder.shutdownNow();
    }
}
