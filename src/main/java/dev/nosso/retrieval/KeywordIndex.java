package dev.nosso.retrieval;

import dev.nosso.platform.Reads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keyword search on an in-memory Lucene index of the chunks' text, ranked by BM25.
 *
 * <p>Why not the databases' own full-text search: a question's words are ORed, so a long question matches a
 * large share of an owner's chunks, and FTS5's bm25 and PostgreSQL's ts_rank score every match before the best
 * few are known (50 to 150 ms at 100,000 chunks; see bench/README.md). Lucene skips the documents that can no
 * longer reach the top k (block-max WAND), so its cost follows k more than the number of matches.
 *
 * <p>The chunks table stays the truth and this index is a cache of it, one per process. An owner is loaded on
 * their first keyword search: at once when they have few chunks, otherwise in the background while their
 * searches go to the database's full-text index ({@code whileLoading}). Before every search one lookup of the
 * owner's version ({@link ChunkVersions}) tells whether what is held is current; if not, the changes missed,
 * whether made by this process or by another node, are replayed first. So a search never sees a stale index,
 * a crash loses nothing (the index is built again from the table), and several nodes need no messaging
 * between them.
 */
final class KeywordIndex implements KeywordSearch, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KeywordIndex.class);

    // Fields of a chunk's document. Only the id is stored: the passage itself is read from the table.
    static final String ID = "id";
    static final String OWNER = "owner";
    static final String KIND = "kind";
    static final String SOURCE = "source";
    static final String CHAT = "chat";
    static final String TEXT = "text";
    private static final Set<String> ID_ONLY = Set.of(ID);

    private final ChunkRepository chunks;
    private final ChunkVersions versions;
    private final Reads reads;
    private final TransactionTemplate reading;
    private final KeywordSearch whileLoading;
    private final int loadInlineUpTo;
    private final Analyzer analyzer = new WordAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<UUID, Owner> owners = new ConcurrentHashMap<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("keyword-index-load").daemon().factory());

    KeywordIndex(ChunkRepository chunks, ChunkVersions versions, PlatformTransactionManager transactions,
                 RetrievalSettings settings, Reads reads, KeywordSearch whileLoading) {
        this.reads = reads;
        this.chunks = chunks;
        this.versions = versions;
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.whileLoading = whileLoading;
        this.loadInlineUpTo = settings.keywordIndexInlineLoad();
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(32));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What this process holds of one owner. */
    private static final class Owner {
        // A lock, not synchronized: searches run on virtual threads and read the database while holding it.
        final ReentrantLock lock = new ReentrantLock();
        volatile long version = -1; // the owner's version the index reflects; -1 while not loaded
        volatile boolean loading; // a background load is running; searches go to the database meanwhile
    }

    /** By BM25 from this index; while the owner is still being loaded, from {@code whileLoading}. */
    @Override
    public List<Scored> search(UUID owner, List<String> words, Scope scope, int limit) {
        List<Scored> found = searchLoaded(owner, words, scope, limit);
        return found != null ? found : whileLoading.search(owner, words, scope, limit);
    }

    /** The owner's best {@code limit} chunks by BM25; {@code null} while the owner is still being loaded. */
    List<Scored> searchLoaded(UUID owner, List<String> words, Scope scope, int limit) {
        if (!current(owner)) {
            return null;
        }
        List<String> terms = terms(words);
        if (terms.isEmpty()) {
            return List.of();
        }
        BooleanQuery.Builder anyWord = new BooleanQuery.Builder();
        for (String term : terms) {
            anyWord.add(new TermQuery(new Term(TEXT, term)), Occur.SHOULD);
        }
        Query query = new BooleanQuery.Builder()
                .add(anyWord.build(), Occur.MUST)
                .add(new TermQuery(new Term(OWNER, owner.toString())), Occur.FILTER)
                .add(scopeQuery(scope), Occur.FILTER)
                .build();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                // Counting hits only up to the limit lets Lucene skip non-competitive documents at once.
                TopDocs top = searcher.search(query, new TopScoreDocCollectorManager(limit, null, limit));
                StoredFields stored = searcher.storedFields();
                List<Scored> found = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc hit : top.scoreDocs) {
                    found.add(new Scored(UUID.fromString(stored.document(hit.doc, ID_ONLY).get(ID)), hit.score));
                }
                return found;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the owner is loaded and current, for benchmarks and tests waiting for a background load. */
    boolean ready(UUID owner) {
        Owner state = owners.get(owner);
        return state != null && state.version >= 0 && !state.loading
                && state.version == currentVersion(owner);
    }

    /** Memory the index takes, in bytes: its segments and what is not yet flushed. */
    long memoryBytes() {
        long bytes = writer.ramBytesUsed();
        try {
            for (String file : directory.listAll()) {
                bytes += directory.fileLength(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    /**
     * The owner's version, read before every search, as a hot read (on PostgreSQL without BEGIN and COMMIT:
     * measured at about a millisecond per search).
     */
    private long currentVersion(UUID owner) {
        return reads.run(() -> versions.current(owner));
    }

    /** Brings the owner's documents up to the owner's version; false when they cannot be used yet. */
    private boolean current(UUID owner) {
        long version = currentVersion(owner);
        Owner state = owners.computeIfAbsent(owner, id -> new Owner());
        state.lock.lock();
        try {
            if (state.version >= version && !state.loading) {
                return true;
            }
            if (state.loading) {
                return false;
            }
            if (state.version >= 0 && version - state.version <= ChunkVersions.KEPT) {
                long held = state.version;
                List<ChunkVersions.Change> missed = reading.execute(status -> versions.between(owner, held, version));
                if (missed.size() == version - held) { // none pruned
                    for (ChunkVersions.Change change : missed) {
                        replay(owner, change);
                    }
                    searchers.maybeRefreshBlocking();
                    state.version = version;
                    return true;
                }
            }
            // Never loaded, or too far behind to replay: load the owner whole.
            state.version = -1;
            if (reading.execute(status -> chunks.countOf(owner)) <= loadInlineUpTo) {
                state.version = load(owner);
                return true;
            }
            state.loading = true;
            loader.execute(() -> loadInBackground(owner, state));
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            state.lock.unlock();
        }
    }

    private void loadInBackground(UUID owner, Owner state) {
        long started = System.nanoTime();
        long version = -1;
        try {
            version = load(owner);
            log.info("Keyword index: loaded owner {} in {} ms", owner, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException | IOException e) {
            log.warn("Keyword index: loading owner {} failed; searching the database meanwhile", owner, e);
        } finally {
            state.lock.lock();
            try {
                state.version = version;
                state.loading = false;
            } finally {
                state.lock.unlock();
            }
        }
    }

    /**
     * Replaces the owner's documents with the table's chunks; returns the owner's version read in the same
     * transaction, before the chunks, so the chunks are at least that recent. Changes after it are replayed by
     * the next search: each replay sets a source to what the table holds then, or deletes, so replaying a change
     * the load already saw does no harm.
     */
    private long load(UUID owner) throws IOException {
        writer.deleteDocuments(new Term(OWNER, owner.toString()));
        long version = reading.execute(status -> {
            long seen = versions.current(owner);
            chunks.textsOf(owner, null, adding(owner));
            return seen;
        });
        searchers.maybeRefreshBlocking();
        return version;
    }

    private void replay(UUID owner, ChunkVersions.Change change) throws IOException {
        Query ofOwner = new TermQuery(new Term(OWNER, owner.toString()));
        switch (change.kind()) {
            case SOURCE -> {
                writer.deleteDocuments(both(ofOwner, new TermQuery(new Term(SOURCE, change.target()))));
                UUID sourceId = UUID.fromString(change.target());
                reading.executeWithoutResult(status -> chunks.textsOf(owner, sourceId, adding(owner)));
            }
            case CHAT -> writer.deleteDocuments(both(ofOwner, both(
                    new TermQuery(new Term(KIND, SourceKind.MESSAGE.wire())),
                    new TermQuery(new Term(CHAT, change.target())))));
            case KIND -> writer.deleteDocuments(both(ofOwner, new TermQuery(new Term(KIND, change.target()))));
        }
    }

    /** Adds each chunk read from the table as one document of the owner. */
    private ChunkRepository.TextConsumer adding(UUID owner) {
        return (id, kind, sourceId, chatId, headingPath, text) ->
                add(owner, id, kind, sourceId, chatId, headingPath, text);
    }

    private void add(UUID owner, UUID id, SourceKind kind, UUID sourceId, UUID chatId, String headingPath,
                     String text) {
        Document doc = new Document();
        doc.add(new StoredField(ID, id.toString()));
        doc.add(new StringField(OWNER, owner.toString(), Field.Store.NO));
        doc.add(new StringField(KIND, kind.wire(), Field.Store.NO));
        doc.add(new StringField(SOURCE, sourceId.toString(), Field.Store.NO));
        if (chatId != null) {
            doc.add(new StringField(CHAT, chatId.toString(), Field.Store.NO));
        }
        // The heading path is searched with the text, as in the databases' full-text indexes.
        doc.add(new TextField(TEXT, headingPath.isEmpty() ? text : headingPath + "\n" + text, Field.Store.NO));
        try {
            writer.addDocument(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same rule as {@link Scope#sql()}: files (all or some), messages (all or some chats'). */
    private static Query scopeQuery(Scope scope) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        if (scope.files()) {
            any.add(kindWith(SourceKind.FILE, SOURCE, scope.sourceIds()), Occur.SHOULD);
        }
        if (scope.memory()) {
            any.add(kindWith(SourceKind.MESSAGE, CHAT, scope.chatIds()), Occur.SHOULD);
        }
        return any.build();
    }

    private static Query kindWith(SourceKind kind, String field, List<UUID> ids) {
        Query ofKind = new TermQuery(new Term(KIND, kind.wire()));
        if (ids == null) {
            return ofKind;
        }
        return both(ofKind, new TermInSetQuery(field, ids.stream().map(id -> new BytesRef(id.toString())).toList()));
    }

    private static Query both(Query a, Query b) {
        return new BooleanQuery.Builder().add(a, Occur.FILTER).add(b, Occur.FILTER).build();
    }

    /** The query's words as the index holds them (lower case, accents folded). */
    private List<String> terms(List<String> words) {
        Set<String> terms = new LinkedHashSet<>();
        for (String word : words) {
            try (TokenStream stream = analyzer.tokenStream(TEXT, word)) {
                CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                stream.reset();
                while (stream.incrementToken()) {
                    terms.add(term.toString());
                }
                stream.end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(terms);
    }

    @Override
    public void destroy() throws IOException {
        loader.shutdownNow();
        searchers.close();
        writer.close();
    }

    /**
     * Words as {@link KeywordQuery} sees them: runs of letters and digits, lower case, with accents folded as
     * FTS5's {@code remove_diacritics} does, and no stemming.
     */
    static final class WordAnalyzer extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer tokenizer = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
            return new TokenStreamComponents(tokenizer, new ASCIIFoldingFilter(new LowerCaseFilter(tokenizer)));
        }
    }
}
