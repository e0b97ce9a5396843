package dev.nosso.platform;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * Runs small, hot write transactions (appending a message) so that many concurrent writers go fast.
 *
 * <p>On PostgreSQL each runs in its own transaction on the caller's thread. On SQLite, which has a single
 * writer, a transaction per append would make every writer queue for the connection and pay for its own
 * commit. Here they queue for one writer thread instead, which takes every waiting write, runs them in
 * one shared transaction, commits once, and only then answers each caller: a group commit. Nobody is told
 * "stored" before the commit that stores it.
 *
 * <p>The contract for work: a refusal meant for the client (an {@link ErrorResponseException}, such as an
 * unknown chat) is thrown <em>before</em> the work writes anything, so it fails that write alone and the
 * group goes on. Any other failure rolls the whole group back, and each of its writes runs again alone, so
 * that only the faulty one fails; a stream of bad requests therefore cannot break up the groups.
 *
 * <p>Called inside a transaction already, the work simply joins it.
 */
@Component
public class Writes implements DisposableBean {

    static final int MAX_BATCH = 256;

    private final TransactionTemplate batch;
    private final TransactionTemplate single;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    private final DistributionSummary groupSizes;
    private final Timer groupCommits;

    Writes(PlatformTransactionManager transactions, Dialect dialect, MeterRegistry meters) {
        this.groupSizes = DistributionSummary.builder("nosso.sqlite.write.group")
                .description("Writes committed together by one SQLite group commit").register(meters);
        this.groupCommits = Timer.builder("nosso.sqlite.write.commit")
                .description("Time to run and commit one group of SQLite writes").register(meters);
        this.single = new TransactionTemplate(transactions);
        this.batch = new TransactionTemplate(transactions);
        if (dialect == Dialect.SQLITE) {
            writer = Thread.ofPlatform().name("nosso-sqlite-writer").daemon().unstarted(this::drain);
            writer.start();
        } else {
            writer = null;
        }
    }

    /**
     * Whether one statement run outside {@link #run} commits on its own, durably, when it returns: on
     * PostgreSQL (a statement without a transaction is one), outside any transaction. A write that fits in one
     * statement then saves the round trip of its {@code COMMIT}.
     */
    public boolean oneStatementCommits() {
        return writer == null && !TransactionSynchronizationManager.isActualTransactionActive();
    }

    /** Runs {@code work} in a committed write transaction and returns its result once it is durable. */
    public <T> T run(Supplier<T> work) {
        if (writer == null || TransactionSynchronizationManager.isActualTransactionActive()) {
            return single.execute(status -> work.get());
        }
        if (closed) {
            throw Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "The server is shutting down.");
        }
        Pending<T> pending = new Pending<>(work, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("A write failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a write to commit", e);
        }
    }

    private void drain() {
        List<Pending<?>> group = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_BATCH - 1);
                groupSizes.record(group.size());
                groupCommits.record(() -> commit(group));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending<?>> group) {
        List<Object> results = new ArrayList<>(group.size());
        try {
            batch.executeWithoutResult(status -> {
                for (Pending<?> pending : group) {
                    try {
                        results.add(pending.work().get());
                    } catch (ErrorResponseException refused) {
                        results.add(new Refused(refused));
                    }
                }
            });
        } catch (RuntimeException | Error e) {
            // Rare (an unknown chat, a bad parent): the batch is rolled back whole, and each write runs
            // again alone so that only the one at fault fails. Cheaper than a savepoint around every write.
            group.forEach(this::commitAlone);
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            if (results.get(i) instanceof Refused refused) {
                group.get(i).result().completeExceptionally(refused.error());
            } else {
                complete(group.get(i), results.get(i));
            }
        }
    }

    private void commitAlone(Pending<?> pending) {
        try {
            complete(pending, single.execute(status -> pending.work().get()));
        } catch (RuntimeException | Error e) {
            pending.result().completeExceptionally(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, Object result) {
        pending.result().complete((T) result);
    }

    @Override
    public void destroy() throws InterruptedException {
        closed = true;
        if (writer != null) {
            writer.join(10_000); // finish what was queued before the connections close
            queue.forEach(p -> p.result().completeExceptionally(
                    Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "The server is shutting down.")));
        }
    }

    private record Pending<T>(Supplier<T> work, CompletableFuture<T> result) {
    }

    private record Refused(ErrorResponseException error) {
    }
}
