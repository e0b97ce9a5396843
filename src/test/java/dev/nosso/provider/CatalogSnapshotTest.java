package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.provider.CatalogSnapshot.Listed;
import dev.nosso.provider.ProviderClient.UpstreamModel;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CatalogSnapshotTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static Connection connection(String name) {
        return new Connection(UUID.randomUUID(), ConnectionKind.OPENAI, name, URI.create("http://x"), null, true,
                false, NOW, NOW);
    }

    private static Listed listed(Connection c, String... ids) {
        List<UpstreamModel> models = Arrays.stream(ids).map(id -> new UpstreamModel(id, null)).toList();
        return new Listed(c, models, new ConnectionHealth(c.id(), c.name(), "openai", true, null, NOW, ids.length));
    }

    @Test
    void aModelServedByOneConnectionKeepsItsUpstreamId() {
        Connection local = connection("local");

        CatalogSnapshot snapshot = CatalogSnapshot.merge(List.of(listed(local, "llama3:8b", "qwen3")), NOW);

        assertThat(snapshot.models()).extracting(Model::id).containsExactly("llama3:8b", "qwen3");
        assertThat(snapshot.routes().get("qwen3").connection()).isEqualTo(local);
        assertThat(snapshot.routes().get("qwen3").upstreamId()).isEqualTo("qwen3");
    }

    @Test
    void theEarlierConnectionKeepsASharedIdAndTheLaterOneIsPrefixedWithItsName() {
        Connection first = connection("first"), second = connection("second");

        CatalogSnapshot snapshot = CatalogSnapshot.merge(List.of(listed(first, "shared", "a"),
                listed(second, "shared", "b")), NOW);

        assertThat(snapshot.models()).extracting(Model::id).containsExactly("a", "shared", "b", "second/shared");
        assertThat(snapshot.routes().get("shared").connection()).isEqualTo(first);
        CatalogSnapshot.Route prefixed = snapshot.routes().get("second/shared");
        assertThat(prefixed.connection()).isEqualTo(second);
        assertThat(prefixed.upstreamId()).isEqualTo("shared"); // the provider is still called with its own id
        assertThat(prefixed.model().name()).isEqualTo("shared");
        assertThat(prefixed.model().connectionName()).isEqualTo("second");
    }

    @Test
    void aPrefixedIdThatIsAlsoTakenGetsANumberSoIdsStayUnique() {
        Connection x = connection("x"), y = connection("y"), z = connection("z");

        CatalogSnapshot snapshot = CatalogSnapshot.merge(List.of(listed(x, "m", "z/m"), listed(y, "m"),
                listed(z, "m")), NOW);

        assertThat(snapshot.models()).extracting(Model::id).containsExactly("m", "z/m", "y/m", "z/m#2");
        assertThat(snapshot.routes()).hasSize(4);
    }

    @Test
    void aProvidersOrderDoesNotMatterAndARepeatedOrBlankIdIsListedOnce() {
        Connection c = connection("c");
        List<UpstreamModel> models = Arrays.asList(new UpstreamModel("beta", 8192), new UpstreamModel("Alpha", null),
                new UpstreamModel("beta", 4096), new UpstreamModel(" ", null), null);
        Listed one = new Listed(c, models, new ConnectionHealth(c.id(), "c", "openai", true, null, NOW, 3));

        CatalogSnapshot snapshot = CatalogSnapshot.merge(List.of(one), NOW);

        assertThat(snapshot.models()).extracting(Model::id).containsExactly("Alpha", "beta");
        assertThat(snapshot.models().get(1).contextLength()).isEqualTo(8192);
    }
}
