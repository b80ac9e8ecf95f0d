package io.attnstream.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The fault phase of a standalone-cluster test: inputs stream in while the TaskManager is killed
 * ({@code kill -9}) and a new one started, and how long each recovery took (kill to every task
 * running again).
 */
public final class FaultRun {
    /** How long the job runs from the stream's start, or from the last recovery, to a kill. */
    private static final Duration BEFORE_KILL = Duration.ofSeconds(7);

    private final List<Duration> recoveries = new ArrayList<>();
    private long restarts;

    /**
     * From the job's first completed checkpoint on, runs {@code stream} in the background and kills
     * the TaskManager {@code kills} times meanwhile, each time starting a new one and waiting until
     * the job runs again; returns what the stream returned.
     */
    public <T> T streamThroughKills(
            StandaloneCluster flink, String job, int kills, Callable<T> stream) throws Exception {
        flink.awaitCheckpoint(job);
        CompletableFuture<T> streamed =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return stream.call();
                            } catch (Exception e) {
                                throw new CompletionException(e);
                            }
                        });
        for (int kill = 0; kill < kills; kill++) {
            Thread.sleep(BEFORE_KILL.toMillis());
            long restartsBefore = flink.restarts(job);
            long killedAt = System.nanoTime();
            flink.killTaskManager();
            flink.startTaskManager();
            flink.awaitRecovery(job, restartsBefore);
            recoveries.add(Duration.ofNanos(System.nanoTime() - killedAt));
        }
        T result = streamed.get();
        restarts = flink.restarts(job);
        return result;
    }

    public List<Duration> recoveries() {
        return List.copyOf(recoveries);
    }

    /** The job's restarts, read once the stream was sent and every kill recovered from. */
    public long restarts() {
        return restarts;
    }

    /**
     * The figures of a FAULT-TEST line: {@code restarts=2 recoveries=[10.5s, 9.2s]
     * longest-recovery=10.5s}.
     */
    public String figures() {
        return String.format(
                "restarts=%d recoveries=%s longest-recovery=%.1fs",
                restarts,
                recoveries.stream()
                        .map(d -> String.format("%.1fs", d.toMillis() / 1000.0))
                        .toList(),
                recoveries.stream().mapToLong(Duration::toMillis).max().orElse(0) / 1000.0);
    }
}
