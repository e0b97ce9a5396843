package dev.nosso.knowledge.storage;

import dev.nosso.platform.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the one {@link FileStore} of this process from {@code nosso.files.*}, at start-up; the server and
 * {@code files-move} build stores the same way.
 */
@Configuration(proxyBeanMethods = false)
class FileStores {

    private static final Logger log = LoggerFactory.getLogger(FileStores.class);

    @Bean
    FileStore fileStore(FileStoreSettings settings, Dialect dialect, JdbcClient jdbc,
                        PlatformTransactionManager transactions) {
        StoreKind kind = settings.storeFor(dialect);
        FileStore store = open(kind, settings, dialect, jdbc, new TransactionTemplate(transactions));
        log.info("Uploaded files' bytes are stored in {}", describe(store, settings));
        String unanswered = store instanceof S3FileStore s3 ? s3.check() : null;
        if (unanswered != null) {
            // Not fatal: object storage that is down for a moment must not keep the server from starting.
            log.warn("The s3 file store does not answer; uploads and downloads fail until it does: {}", unanswered);
        }
        if (kind != StoreKind.LOCAL) {
            LocalFileStore folder = new LocalFileStore(settings.dir());
            if (FolderFallback.holdsFiles(folder)) {
                log.warn("The folder {} still holds uploaded files' bytes from before the {} store: they are read "
                        + "from there until moved. Move them with: java -jar nosso.jar {} --to={}",
                        folder.root(), kind.wire(), FilesMove.COMMAND, kind.wire());
                return new FolderFallback(store, folder);
            }
        }
        return store;
    }

    /**
     * A store of the given kind. {@code database} is refused on SQLite: every write there waits for the one
     * writing connection, which a file's megabytes would hold away from every chat, and a SQLite file serves one
     * node only, whose own disk is then the better place for the bytes.
     */
    static FileStore open(StoreKind kind, FileStoreSettings settings, Dialect dialect, JdbcClient jdbc,
                          TransactionTemplate transactions) {
        return switch (kind) {
            case LOCAL -> new LocalFileStore(settings.dir());
            case DATABASE -> {
                if (dialect != Dialect.POSTGRESQL) {
                    throw new IllegalStateException("nosso.files.store=database (NOSSO_FILES_STORE) needs PostgreSQL; "
                            + "on SQLite files are stored in a folder (local) or in S3-compatible storage (s3)");
                }
                yield new DatabaseFileStore(jdbc, transactions);
            }
            case S3 -> {
                if (settings.s3().bucket() == null || settings.s3().bucket().isBlank()) {
                    throw new IllegalStateException("nosso.files.store=s3 needs nosso.files.s3.bucket (NOSSO_FILES_S3_BUCKET)");
                }
                yield new S3FileStore(settings.s3());
            }
        };
    }

    static String describe(FileStore store, FileStoreSettings settings) {
        return switch (store) {
            case LocalFileStore local -> "the folder " + local.root();
            case S3FileStore s3 -> "S3-compatible storage, " + s3.location()
                    + (settings.s3().endpoint() == null || settings.s3().endpoint().isBlank()
                    ? "" : " at " + settings.s3().endpoint());
            default -> "the database (table file_parts)";
        };
    }
}
