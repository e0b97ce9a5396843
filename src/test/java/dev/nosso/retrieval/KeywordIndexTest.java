package dev.nosso.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.Eventually;
import dev.nosso.support.ServerTest;
import dev.nosso.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The in-memory keyword index against the table it caches, on both databases. A second server on the same
 * database plays another node: the changes one server makes must be in the other's next search, whatever
 * kind of change it was, without any message between them.
 */
class KeywordIndexTest extends ServerTest {

    private static final Scope EVERYTHING = new Scope(true, null, true, null);

    private UUID newOwner() {
        return UUID.fromString(server.newUser().get("/api/v1/auth/me").expect(200).text("/id"));
    }

    private static UUID index(ConfigurableApplicationContext node, UUID owner, SourceKind kind, UUID sourceId,
                              UUID chatId, String text) {
        node.getBean(Indexer.class).index(new SourceText(owner, kind, sourceId, "source " + sourceId, chatId, text),
                (done, total) -> { });
        return sourceId;
    }

    /** The sources of the owner's chunks the node's index finds for the words; fails if it could not answer. */
    private static Set<UUID> found(ConfigurableApplicationContext node, UUID owner, String words) {
        List<Scored> hits = node.getBean(KeywordIndex.class)
                .searchLoaded(owner, KeywordQuery.words(words), EVERYTHING, 50);
        assertThat(hits).as("the index answers (owner loaded)").isNotNull();
        return sources(node, owner, hits);
    }

    private static Set<UUID> sources(ConfigurableApplicationContext node, UUID owner, List<Scored> hits) {
        return node.getBean(JdbcClient.class).sql("SELECT id, source_id FROM chunks WHERE user_id = :owner")
                .param("owner", owner)
                .query((rs, n) -> Map.entry(rs.getString("id"), rs.getString("source_id"))).list().stream()
                .filter(row -> hits.stream().anyMatch(h -> h.chunkId().toString().equals(row.getKey())))
                .map(row -> UUID.fromString(row.getValue())).collect(Collectors.toSet());
    }

    @Test
    void everyKindOfChangeMadeByOneNodeIsInTheOtherNodesNextSearch() {
        UUID owner = newOwner();
        ConfigurableApplicationContext a = server.context();
        try (TestServer other = TestServer.start(database)) {
            ConfigurableApplicationContext b = other.context();
            UUID first = index(a, owner, SourceKind.FILE, UUID.randomUUID(), null, "A zebra crossed the savanna.");
            assertThat(found(b, owner, "zebra")).containsExactly(first); // loaded on first search

            UUID second = index(a, owner, SourceKind.FILE, UUID.randomUUID(), null, "Zebra stripes confuse flies.");
            assertThat(found(b, owner, "zebra")).containsExactlyInAnyOrder(first, second);

            index(a, owner, SourceKind.FILE, first, null, "Now it is about giraffes only."); // replaced
            assertThat(found(b, owner, "zebra")).containsExactly(second);
            assertThat(found(b, owner, "giraffes")).containsExactly(first);

            a.getBean(Indexer.class).forget(owner, SourceKind.FILE, second);
            assertThat(found(b, owner, "zebra")).isEmpty();

            UUID chat = UUID.randomUUID();
            UUID message = index(a, owner, SourceKind.MESSAGE, UUID.randomUUID(), chat, "My zebra is called Zed.");
            UUID otherChat = UUID.randomUUID();
            UUID kept = index(a, owner, SourceKind.MESSAGE, UUID.randomUUID(), otherChat, "Zed the zebra sleeps.");
            assertThat(found(b, owner, "zed")).containsExactlyInAnyOrder(message, kept);
            a.getBean(Indexer.class).forgetChat(owner, chat);
            assertThat(found(b, owner, "zed")).containsExactly(kept);

            a.getBean(Indexer.class).forgetAll(owner, SourceKind.MESSAGE);
            assertThat(found(b, owner, "zed")).isEmpty();
            assertThat(found(b, owner, "giraffes")).containsExactly(first); // files untouched

            // And the other way round: B's own change is in A's next search.
            UUID fromB = index(b, owner, SourceKind.FILE, UUID.randomUUID(), null, "Okapi live in forests.");
            assertThat(found(a, owner, "okapi")).containsExactly(fromB);
        }
    }

    @Test
    void aNodeTooFarBehindToReplayLoadsTheOwnerAgain() {
        UUID owner = newOwner();
        ConfigurableApplicationContext a = server.context();
        try (TestServer other = TestServer.start(database)) {
            ConfigurableApplicationContext b = other.context();
            UUID first = index(a, owner, SourceKind.FILE, UUID.randomUUID(), null, "Walrus tusks.");
            assertThat(found(b, owner, "walrus")).containsExactly(first);

            UUID second = index(a, owner, SourceKind.FILE, UUID.randomUUID(), null, "A walrus on ice.");
            a.getBean(Indexer.class).forget(owner, SourceKind.FILE, first);
            // As if these changes had been pruned: B cannot replay them and must load the owner again.
            a.getBean(JdbcClient.class).sql("DELETE FROM chunk_changes WHERE user_id = :owner").param("owner", owner)
                    .update();

            assertThat(found(b, owner, "walrus")).containsExactly(second);
        }
    }

    @Test
    void aLargeOwnerIsLoadedInTheBackgroundWhileTheDatabaseAnswers() {
        UUID owner = newOwner();
        UUID file = index(server.context(), owner, SourceKind.FILE, UUID.randomUUID(), null,
                "Narwhals have a long tooth.");
        // Every owner counts as large here: none is loaded during a search.
        try (TestServer other = TestServer.start(database, Map.of("nosso.retrieval.keyword-index-inline-load", 0))) {
            ConfigurableApplicationContext b = other.context();
            KeywordIndex index = b.getBean(KeywordIndex.class);
            assertThat(index.searchLoaded(owner, List.of("narwhals"), EVERYTHING, 10)).isNull();
            // Meanwhile the search goes to the database's full-text index.
            List<Passage> meanwhile = b.getBean(Retrieval.class).search(owner,
                    new SearchRequest("narwhals", 5, SearchMode.KEYWORD, Scope.EVERYTHING));
            assertThat(meanwhile).extracting(Passage::sourceId).containsExactly(file);

            Eventually.within(Duration.ofSeconds(30)).until(() -> index.ready(owner));
            assertThat(found(b, owner, "narwhals")).containsExactly(file);
        }
    }

    @Test
    void anOwnerNeverFindsAnotherOwnersChunksAndTheScopeIsApplied() {
        UUID alice = newOwner();
        UUID bob = newOwner();
        ConfigurableApplicationContext a = server.context();
        UUID alices = index(a, alice, SourceKind.FILE, UUID.randomUUID(), null, "The secret word is pelican.");
        UUID bobs = index(a, bob, SourceKind.FILE, UUID.randomUUID(), null, "Pelican pelican pelican.");
        UUID chat = UUID.randomUUID();
        UUID remembered = index(a, alice, SourceKind.MESSAGE, UUID.randomUUID(), chat, "I saw a pelican today.");
        assertThat(found(a, alice, "pelican")).containsExactlyInAnyOrder(alices, remembered);
        assertThat(found(a, bob, "pelican")).containsExactly(bobs);

        KeywordIndex index = a.getBean(KeywordIndex.class);
        assertThat(sources(a, alice, index.search(alice, List.of("pelican"),
                new Scope(true, List.of(alices), false, null), 10))).containsExactly(alices);
        assertThat(sources(a, alice, index.search(alice, List.of("pelican"),
                new Scope(false, null, true, List.of(chat)), 10))).containsExactly(remembered);
        assertThat(index.search(alice, List.of("pelican"), new Scope(false, null, true, List.of(UUID.randomUUID())),
                10)).isEmpty();
        // Accents are folded as the databases fold them.
        UUID cafe = index(a, alice, SourceKind.FILE, UUID.randomUUID(), null, "Um café com pão de queijo.");
        assertThat(found(a, alice, "cafe pao")).containsExactly(cafe);
    }
}
