package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.plugable.SerializationDelegate;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shard keys land where the sharder means them to: key(i) on subtask i, checked with Flink's
 * own key-group partitioner (the channel selector {@code keyBy} installs), for several parallelisms
 * and max parallelisms, including a job restored at another parallelism.
 */
class ShardKeysTest {
    private static final int SENSORS = 207;

    /** The subtask Flink's keyBy sends {@code key} to: the job's channel selector itself. */
    private static int channel(int key, int parallelism, int maxParallelism) {
        KeySelector<Integer, Integer> identity = k -> k;
        KeyGroupStreamPartitioner<Integer, Integer> partitioner =
                new KeyGroupStreamPartitioner<>(identity, maxParallelism);
        partitioner.setup(parallelism);
        SerializationDelegate<StreamRecord<Integer>> record = new SerializationDelegate<>(null);
        record.setInstance(new StreamRecord<>(key));
        return partitioner.selectChannel(record);
    }

    @ParameterizedTest(name = "P {0}, max parallelism {1}")
    @CsvSource({
        "1,128",
        "2,128",
        "3,128",
        "4,128",
        "5,128",
        "7,128",
        "2,2",
        "3,3",
        "8,8",
        "16,32",
        "100,128",
        "128,128",
        "2,32768",
        "7,32768",
        "300,1024"
    })
    void keyOfSubtaskILandsOnSubtaskI(int parallelism, int maxParallelism) {
        ShardKeys keys = ShardKeys.of(parallelism, maxParallelism);

        assertThat(keys.subtasks()).isEqualTo(parallelism);
        Set<Integer> distinct = new HashSet<>();
        for (int i = 0; i < parallelism; i++) {
            assertThat(keys.key(i)).as("key of subtask %d", i).isNotNegative();
            assertThat(
                            KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                    keys.key(i), maxParallelism, parallelism))
                    .isEqualTo(i);
            assertThat(channel(keys.key(i), parallelism, maxParallelism))
                    .as("channel of key(%d)", i)
                    .isEqualTo(i);
            distinct.add(keys.key(i));
        }
        assertThat(distinct).hasSize(parallelism);
    }

    /**
     * A savepoint keeps the max parallelism and the assembler has no state, so a job restored at P'
     * computes its keys for P': every sensor goes to exactly one subtask, each subtask publishes
     * one shard, and no subtask idles.
     */
    @ParameterizedTest(name = "P {0} -> {1}, max parallelism {2}")
    @CsvSource({"2,3,128", "2,1,128", "4,2,128", "3,5,128", "2,7,32768", "5,8,8"})
    void jobRestoredAtAnotherParallelismRoutesEverySensorToOneSubtask(
            int before, int after, int maxParallelism) {
        for (int parallelism : new int[] {before, after}) {
            ShardKeys keys = ShardKeys.of(parallelism, maxParallelism);
            Map<Integer, Integer> publisher = new HashMap<>();
            Map<Integer, Integer> shardsPerSubtask = new HashMap<>();
            for (int shard = 0; shard < parallelism; shard++) {
                int subtask = channel(keys.key(shard), parallelism, maxParallelism);
                shardsPerSubtask.merge(subtask, 1, Integer::sum);
                for (int n = shard;
                        n < SENSORS;
                        n += parallelism) { // the sharder's sensors of this shard
                    assertThat(publisher.put(n, subtask))
                            .as("sensor %d in one shard only", n)
                            .isNull();
                }
            }
            assertThat(publisher)
                    .as("every sensor published at P %d", parallelism)
                    .hasSize(SENSORS);
            for (int n = 0; n < SENSORS; n++) {
                assertThat(publisher.get(n))
                        .as("sensor %d at P %d", n, parallelism)
                        .isEqualTo(n % parallelism);
            }
            assertThat(shardsPerSubtask)
                    .as("one shard per subtask at P %d", parallelism)
                    .hasSize(parallelism)
                    .allSatisfy((subtask, count) -> assertThat(count).isEqualTo(1));
        }
    }

    @Test
    void moreSubtasksThanKeyGroupsIsRejected() {
        assertThatThrownBy(() -> ShardKeys.of(5, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 and 4");
        assertThatThrownBy(() -> ShardKeys.of(0, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
