package dev.nosso.knowledge.storage;

import dev.nosso.platform.Dialect;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where uploaded files' bytes live.
 *
 * @param store {@code local}, {@code database} or {@code s3}; empty: {@code local} on SQLite, {@code database}
 *              on PostgreSQL, so that several nodes on one database read each other's files with no setting
 * @param dir   the folder of the {@code local} store; a folder shared by every node works too
 * @param s3    the bucket of the {@code s3} store
 */
@ConfigurationProperties("nosso.files")
@Validated
record FileStoreSettings(StoreKind store, @NotNull Path dir, @NotNull @Valid S3 s3) {

    /**
     * An S3-compatible bucket.
     *
     * @param endpoint  the service's URL, e.g. {@code http://minio:9000}; empty: AWS S3 in {@code region}
     * @param region    the bucket's region (any name for most S3-compatible servers)
     * @param bucket    the bucket, created beforehand
     * @param accessKey the access key; empty: the AWS SDK's usual chain (environment, profile, instance role)
     * @param secretKey its secret
     * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}, which MinIO
     *                  and most servers outside AWS need
     * @param prefix    put before every object's name, e.g. {@code nosso/}, to share a bucket
     */
    record S3(String endpoint, @NotBlank String region, String bucket, String accessKey, String secretKey,
              boolean pathStyle, String prefix) {
    }

    /** The store to use on this database: the one set, or the default for the database. */
    StoreKind storeFor(Dialect dialect) {
        if (store != null) {
            return store;
        }
        return dialect == Dialect.POSTGRESQL ? StoreKind.DATABASE : StoreKind.LOCAL;
    }
}
