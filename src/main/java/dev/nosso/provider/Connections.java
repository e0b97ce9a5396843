package dev.nosso.provider;

import dev.nosso.platform.Ids;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * What administrators do with connections: add, change, remove and test them. Every change clears the
 * catalog after its commit, so the next request lists the providers as they now are.
 *
 * <p>A connection from the environment ({@code source: env}) is owned by its variables, applied at each
 * start: here it can be enabled or disabled (which a restart keeps), or replaced: changing its address, key
 * or kind makes it the administrators' own ({@code source: admin}, {@code replacesEnvironment}), which the
 * next start leaves alone whatever the variable says. Deleting it is refused while it comes from the
 * environment, since the next start would bring it back; disabling it is how to switch it off.
 */
@Service
class Connections {

    private final ConnectionRepository rows;
    private final SecretBox secrets;
    private final ModelCatalog catalog;
    private final TransactionTemplate writing;
    private final TransactionTemplate reading;
    private final Clock clock;

    Connections(ConnectionRepository rows, SecretBox secrets, ModelCatalog catalog,
                PlatformTransactionManager transactions, Clock clock) {
        this.rows = rows;
        this.secrets = secrets;
        this.catalog = catalog;
        this.writing = new TransactionTemplate(transactions);
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.clock = clock;
    }

    /** The fields of a new connection, as the API receives them. */
    record NewConnection(String kind, String name, String baseUrl, String apiKey, Boolean enabled) {
    }

    /**
     * The answer of the admin's test button.
     *
     * @param found the ids of the models found, the first {@value #FOUND_SHOWN} in the provider's order
     */
    record TestResult(boolean ok, int models, String error, List<String> found) {
    }

    static final int FOUND_SHOWN = 20;

    List<ConnectionView> list() {
        List<Connection> all = reading.execute(status -> rows.list());
        Map<UUID, ConnectionHealth> health = lastHealth();
        return all.stream().map(c -> ConnectionView.of(c, c.enabled() ? health.get(c.id()) : null)).toList();
    }

    ConnectionView get(UUID id) {
        Connection connection = find(id);
        return ConnectionView.of(connection, connection.enabled() ? lastHealth().get(id) : null);
    }

    ConnectionView create(NewConnection input) {
        ConnectionKind kind = ConnectionInput.kind(input.kind());
        String name = ConnectionInput.name(input.name());
        URI baseUrl = ConnectionInput.baseUrl(input.baseUrl());
        String key = ConnectionInput.apiKey(input.apiKey());
        Instant now = clock.instant();
        Connection connection = new Connection(Ids.next(), kind, name, baseUrl, key == null ? null : secrets.seal(key),
                input.enabled() == null || input.enabled(), false, now, now);
        if (!Boolean.TRUE.equals(writing.execute(status -> rows.insert(connection)))) {
            throw nameTaken(name);
        }
        catalog.changed(connection.id());
        return ConnectionView.of(connection, null);
    }

    ConnectionView update(UUID id, ConnectionChanges changes) {
        try {
            writing.executeWithoutResult(status -> {
                Connection current = rows.find(id).orElseThrow(() -> new NotFound("connection"));
                Connection next = apply(current, changes);
                if (current.fromEnvironment() && changedBeyondEnabled(current, next, changes)) {
                    // Replaced here: it becomes the administrators' own, and the next start leaves it alone.
                    if (!next.name().equals(current.name())) {
                        throw fromEnvironment(current, "renamed; change its address or key to replace it");
                    }
                    next = new Connection(next.id(), next.kind(), next.name(), next.baseUrl(), next.sealedApiKey(),
                            next.enabled(), false, next.createdAt(), next.updatedAt());
                    rows.replaceEnvironment(next);
                    return;
                }
                if (!next.name().equals(current.name()) && rows.nameTakenByAnother(next.name(), id)) {
                    throw nameTaken(next.name());
                }
                rows.update(next);
            });
        } catch (DuplicateKeyException e) { // PostgreSQL: another admin took the name between check and update
            throw nameTaken(ConnectionInput.name(changes.name()));
        }
        catalog.changed(id);
        return get(id);
    }

    void delete(UUID id) {
        writing.executeWithoutResult(status -> {
            Connection current = rows.find(id).orElseThrow(() -> new NotFound("connection"));
            if (current.fromEnvironment()) {
                throw fromEnvironment(current, "deleted; unset its variable, or disable it here");
            }
            rows.delete(id);
        });
        catalog.changed(id);
    }

    /** Lists the connection's models now, outside any transaction (it calls the provider). */
    TestResult test(UUID id) {
        Connection connection = find(id);
        TestResult result = tried(connection);
        ConnectionHealth known = lastHealth().get(id);
        if (connection.enabled() && (known == null || known.healthy() != result.ok())) {
            catalog.invalidate(); // the catalog disagrees with what was just seen: fetch it again
        }
        return result;
    }

    /**
     * Tries a connection before it is saved (the admin's form): lists its models now, stores nothing. The
     * fields are checked as for a new connection, so a bad URL is a 400 naming the field, not a failed test.
     */
    TestResult test(NewConnection input) {
        ConnectionKind kind = ConnectionInput.kind(input.kind());
        URI baseUrl = ConnectionInput.baseUrl(input.baseUrl());
        String key = ConnectionInput.apiKey(input.apiKey());
        Instant now = clock.instant();
        return tried(new Connection(Ids.next(), kind, "test", baseUrl, key == null ? null : secrets.seal(key), true,
                false, now, now));
    }

    private TestResult tried(Connection connection) {
        try {
            List<String> ids = catalog.listNow(connection).stream().map(ProviderClient.UpstreamModel::id).toList();
            return new TestResult(true, ids.size(), null, ids.subList(0, Math.min(FOUND_SHOWN, ids.size())));
        } catch (ProviderFailure e) {
            return new TestResult(false, 0, e.getMessage(), List.of());
        }
    }

    private Connection find(UUID id) {
        return reading.execute(status -> rows.find(id)).orElseThrow(() -> new NotFound("connection"));
    }

    private Map<UUID, ConnectionHealth> lastHealth() {
        CatalogSnapshot snapshot = catalog.cachedOrRefresh();
        return snapshot == null ? Map.of() : snapshot.health().stream()
                .collect(Collectors.toMap(ConnectionHealth::connectionId, Function.identity()));
    }

    private Connection apply(Connection c, ConnectionChanges changes) {
        ConnectionKind kind = changes.kind() == null ? c.kind() : ConnectionInput.kind(changes.kind());
        String name = changes.name() == null ? c.name() : ConnectionInput.name(changes.name());
        URI baseUrl = changes.baseUrl() == null ? c.baseUrl() : ConnectionInput.baseUrl(changes.baseUrl());
        String sealedKey = c.sealedApiKey();
        if (changes.apiKey() != null) {
            String key = ConnectionInput.apiKey(changes.apiKey().orElse(null));
            sealedKey = key == null ? null : secrets.seal(key);
        }
        boolean enabled = changes.enabled() == null ? c.enabled() : changes.enabled();
        return new Connection(c.id(), kind, name, baseUrl, sealedKey, enabled, c.fromEnvironment(), c.createdAt(),
                clock.instant());
    }

    // Sending a field with its current value is not a change (a form that posts every field).
    private boolean changedBeyondEnabled(Connection current, Connection next, ConnectionChanges changes) {
        boolean sameKey = changes.apiKey() == null || Objects.equals(openQuietly(current),
                ConnectionInput.apiKey(changes.apiKey().orElse(null)));
        return next.kind() != current.kind() || !next.name().equals(current.name())
                || !next.baseUrl().equals(current.baseUrl()) || !sameKey;
    }

    private String openQuietly(Connection c) {
        if (!c.hasApiKey()) {
            return null;
        }
        try {
            return secrets.open(c.sealedApiKey());
        } catch (SecretBox.Unreadable e) {
            return null;
        }
    }

    private static ErrorResponseException nameTaken(String name) {
        return Problems.exception(HttpStatus.CONFLICT, "connection-name-taken",
                "A connection named \"" + name + "\" already exists.");
    }

    private static ErrorResponseException fromEnvironment(Connection c, String what) {
        String variable = c.kind() == ConnectionKind.OLLAMA ? "NOSSO_OLLAMA_URL" : "NOSSO_OPENAI_BASE_URL";
        return Problems.exception(HttpStatus.CONFLICT, "connection-from-environment", "The connection \"" + c.name()
                + "\" comes from " + variable + " and cannot be " + what + ".");
    }
}
