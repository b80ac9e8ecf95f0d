package io.attnstream.traffic.job;

import java.util.Arrays;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * One key per subtask of a keyed operator: {@code key(i)} is a key that Flink's own key-group
 * assignment sends to subtask i, for the operator's parallelism P and max parallelism. {@link
 * ForecastSharder} keys shard i with it, so {@code keyBy} routes shard i to subtask i as {@code
 * partitionCustom(i mod P)} did. Flink refuses unaligned checkpoints on a custom partitioning (it
 * cannot split in-flight records on rescaling); a key-group partitioning it can, so the traffic job
 * checkpoints unaligned like the others.
 *
 * <p>The keys are the smallest non-negative ints that land on each subtask. Every subtask owns at
 * least one key group (P <= max parallelism), and ints spread over the key groups through Flink's
 * murmur hash, so the search ends after a few times max-parallelism / P candidates.
 */
public final class ShardKeys {
    private final int[] keys;

    private ShardKeys(int[] keys) {
        this.keys = keys;
    }

    /**
     * The keys for a keyed operator with {@code parallelism} subtasks and {@code maxParallelism}
     * key groups.
     */
    public static ShardKeys of(int parallelism, int maxParallelism) {
        if (parallelism < 1 || parallelism > maxParallelism) {
            throw new IllegalArgumentException(
                    "need 1 <= parallelism <= max parallelism, got "
                            + parallelism
                            + " and "
                            + maxParallelism);
        }
        int[] keys = new int[parallelism];
        Arrays.fill(keys, -1);
        int found = 0;
        // Each key group is owned by one subtask and every subtask owns one, so trying keys until
        // all subtasks have one terminates; the bound is only there so that a bug cannot spin
        // forever.
        long limit = 1_000L * maxParallelism;
        for (int k = 0; found < parallelism; k++) {
            if (k > limit) {
                throw new IllegalStateException(
                        "no key found for every subtask among " + limit + " ints");
            }
            int subtask =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            k, maxParallelism, parallelism);
            if (keys[subtask] < 0) {
                keys[subtask] = k;
                found++;
            }
        }
        return new ShardKeys(keys);
    }

    /** A key that Flink routes to subtask {@code subtask}. */
    public int key(int subtask) {
        return keys[subtask];
    }

    public int subtasks() {
        return keys.length;
    }
}
