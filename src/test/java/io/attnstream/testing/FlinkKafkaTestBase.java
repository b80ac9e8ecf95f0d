package io.attnstream.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Job-level integration tests: a real in-process Kafka broker and a Flink MiniCluster with two
 * slots, so jobs run with parallelism 2, both started once per test class.
 */
public abstract class FlinkKafkaTestBase {
    @RegisterExtension
    @Order(1)
    protected static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    @Order(2)
    protected static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());
}
