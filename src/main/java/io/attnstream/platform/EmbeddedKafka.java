package io.attnstream.platform;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM on
 * loopback, built from Kafka's own server classes. Used by {@code demo} and the integration tests;
 * production points {@code --bootstrap-servers} at a real cluster instead.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final String FIXED_LISTENER = "CLIENT";

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker and waits until it accepts clients.
     *
     * @param port the client port on 127.0.0.1; 0 picks a free one
     */
    public static EmbeddedKafka start(int port) {
        if (port < 0 || port > 65535) {
            throw new AttnstreamException("Kafka port must be in 0..65535, got " + port);
        }
        long t0 = System.nanoTime();
        try {
            Path dir = Files.createTempDirectory("attnstream-kafka-");
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBaseDirectory(dir)
                            .build();
            KafkaClusterTestKit.Builder builder =
                    new KafkaClusterTestKit.Builder(nodes)
                            .setDeleteOnClose(true)
                            // A single node: internal topics cannot be replicated further.
                            .setConfigProp("offsets.topic.replication.factor", "1")
                            .setConfigProp("offsets.topic.num.partitions", "4")
                            .setConfigProp("transaction.state.log.replication.factor", "1")
                            .setConfigProp("transaction.state.log.min.isr", "1")
                            .setConfigProp("transaction.state.log.num.partitions", "4")
                            .setConfigProp("group.initial.rebalance.delay.ms", "0")
                            .setConfigProp("auto.create.topics.enable", "false")
                            .setConfigProp("transaction.max.timeout.ms", "900000");
            if (port != 0) {
                // The kit pre-binds a random-port socket for its own broker listener name and would
                // use it whatever port we configure; a listener of another name is bound where we
                // say.
                String controller = nodes.controllerListenerName().value();
                builder.setConfigProp(
                        "listeners",
                        FIXED_LISTENER
                                + "://localhost:"
                                + port
                                + ","
                                + controller
                                + "://localhost:0");
                builder.setConfigProp(
                        "listener.security.protocol.map",
                        FIXED_LISTENER + ":PLAINTEXT," + controller + ":PLAINTEXT");
                builder.setConfigProp("inter.broker.listener.name", FIXED_LISTENER);
            }
            KafkaClusterTestKit kit = builder.build();
            formatQuietly(kit);
            kit.startup();
            kit.waitForReadyBrokers();
            EmbeddedKafka kafka =
                    new EmbeddedKafka(
                            kit, port == 0 ? kit.bootstrapServers() : "localhost:" + port);
            LOG.info(
                    "Embedded Kafka broker (KRaft) ready at {} in {} ms",
                    kafka.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            return kafka;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttnstreamException(
                    "Interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new AttnstreamException(
                    "Could not start the embedded Kafka broker"
                            + (port != 0 ? " on port " + port : "")
                            + ": "
                            + rootMessage(e),
                    e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public KafkaSettings settings() {
        return KafkaSettings.of(bootstrapServers());
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("Embedded Kafka did not shut down cleanly: {}", e.toString());
        }
    }

    /**
     * Kafka's storage formatter prints its bootstrap metadata to stdout, which is the demo's
     * console.
     */
    private static void formatQuietly(KafkaClusterTestKit kit) throws Exception {
        PrintStream out = System.out;
        synchronized (System.class) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                kit.format();
            } finally {
                System.setOut(out);
            }
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
