package dev.nosso.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.support.Eventually;
import dev.nosso.support.TestServer;
import dev.nosso.support.TwoNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One queue, two nodes: every job runs once, whichever node queued it, and an idle worker starts a job queued
 * on the other node within a second, woken by a cluster event. The poll interval is left at its default
 * (30 s), so nothing here can pass by polling.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsAcrossNodesTest {

    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TwoNodes nodes;

    /** Each run of a test job: which job, on which node. */
    private record Run(UUID job, String node) {
    }

    private final List<Run> runs = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startNodes() {
        nodes = TwoNodes.start(Map.of("nosso.jobs.poll-interval", "30s", "nosso.jobs.lease", "2s"));
    }

    @AfterAll
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static Jobs jobs(TestServer node) {
        return node.context().getBean(Jobs.class);
    }

    private JdbcClient jdbc() {
        return nodes.a().context().getBean(JdbcClient.class);
    }

    /** A handler of {@code kind} on {@code node} that records its runs, each taking {@code work}. */
    private void handle(TestServer node, String name, String kind, Duration work) {
        jobs(node).register(new JobHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void run(RunningJob job) throws InterruptedException {
                runs.add(new Run(job.id(), name));
                Thread.sleep(work);
            }
        });
    }

    private List<Run> runsOf(UUID job) {
        return runs.stream().filter(r -> r.job().equals(job)).toList();
    }

    private String state(UUID id) {
        return jdbc().sql("SELECT state FROM jobs WHERE id = :id").param("id", id).query(String.class).single();
    }

    @Test
    void everyJobQueuedOnOneNodeRunsOnceAndBothNodesRunThem() {
        handle(nodes.a(), "a", "test-once", Duration.ofMillis(100));
        handle(nodes.b(), "b", "test-once", Duration.ofMillis(100));
        List<UUID> queued = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            queued.add(jobs(nodes.a()).enqueue(null, "test-once", "{}"));
        }

        Eventually.within(WAIT).alias("every job done").until(() -> queued.stream().allMatch(id -> state(id).equals("done")));
        ConcurrentMap<UUID, Integer> counted = new ConcurrentHashMap<>();
        runs.stream().filter(r -> queued.contains(r.job())).forEach(r -> counted.merge(r.job(), 1, Integer::sum));
        assertThat(counted).hasSize(20).allSatisfy((job, times) -> assertThat(times).as("runs of %s", job).isOne());
        assertThat(runs.stream().filter(r -> queued.contains(r.job())).map(Run::node).distinct())
                .as("the nodes that ran them").containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void anIdleNodeStartsAJobQueuedOnTheOtherWithinASecond() {
        handle(nodes.b(), "b", "test-b-only", Duration.ZERO); // A has no handler: only B can run it
        UUID settled = jobs(nodes.a()).enqueue(null, "test-b-only", "{}");
        Eventually.within(WAIT).until(() -> state(settled).equals("done")); // B's workers are idle after this

        UUID job = jobs(nodes.a()).enqueue(null, "test-b-only", "{}");

        Eventually.within(WITHIN_A_SECOND).alias("B runs the job A queued").until(() -> runsOf(job).size() == 1);
        Eventually.within(WAIT).until(() -> state(job).equals("done"));
        assertThat(runsOf(job)).extracting(Run::node).containsExactly("b");
    }

    @Test
    void aJobLeftRunningByADeadNodeIsTakenAgainWhenItsLeaseEndsNotAtTheNextPoll() {
        UUID job = jobs(nodes.a()).enqueue(null, "test-orphan", "{}"); // no handler yet: it stays queued
        // As a node that died mid-job leaves it: running, its lease ending in a moment.
        jdbc().sql("UPDATE jobs SET state = 'running', attempts = 1, lease_until = :lease WHERE id = :id")
                .param("lease", System.currentTimeMillis() + 1_500).param("id", job).update();

        handle(nodes.b(), "b", "test-orphan", Duration.ZERO); // B looks once, finds it leased, and sleeps until then

        Eventually.within(Duration.ofSeconds(5)).alias("B takes the job when its lease ends")
                .until(() -> state(job).equals("done"));
        assertThat(runsOf(job)).extracting(Run::node).containsExactly("b");
    }
}
