package dev.nosso.knowledge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bytes as objects in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage, R2...), named
 * {@code <prefix><storage key>}. Every node reads every file, and the database stays small. An object appears
 * whole when its upload completes, so a reader never sees part of one.
 */
final class S3FileStore implements FileStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3FileStore(FileStoreSettings.S3 settings) {
        this.s3 = client(settings);
        this.bucket = settings.bucket();
        this.prefix = settings.prefix() == null ? "" : settings.prefix();
    }

    private static S3Client client(FileStoreSettings.S3 settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                // The SDK's default sends a trailing checksum in aws-chunked bodies, which several S3-compatible
                // servers refuse; only when an operation requires one.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint().strip()));
        }
        return builder.build();
    }

    // Without a key in the settings, the SDK's usual chain: AWS_ACCESS_KEY_ID, ~/.aws, an instance's role...
    private static AwsCredentialsProvider credentials(FileStoreSettings.S3 settings) {
        if (settings.accessKey() == null || settings.accessKey().isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }

    @Override
    public String name() {
        return "s3";
    }

    /** Where the objects go, for the logs: never the credentials. */
    String location() {
        return "bucket " + bucket + (prefix.isEmpty() ? "" : " under " + prefix);
    }

    @Override
    public boolean has(String key) throws IOException {
        try {
            s3.headObject(r -> r.bucket(bucket).key(prefix + key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false; // a HEAD has no body to say NoSuchKey in
            }
            throw unreachable(e);
        } catch (SdkException e) {
            throw unreachable(e);
        }
    }

    @Override
    public void put(String key, Path file) throws IOException {
        if (has(key)) {
            return;
        }
        try {
            s3.putObject(r -> r.bucket(bucket).key(prefix + key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw unreachable(e);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(prefix + key));
        } catch (NoSuchKeyException e) {
            throw new BytesMissing(name(), key);
        } catch (SdkException e) {
            throw unreachable(e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(prefix + key));
        } catch (SdkException e) {
            throw unreachable(e);
        }
    }

    /** Whether the bucket answers; the reason when it does not. */
    String check() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return null;
        } catch (SdkException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private IOException unreachable(SdkException e) {
        return new IOException("The S3 file store (" + location() + ") failed: " + e.getMessage(), e);
    }
}
