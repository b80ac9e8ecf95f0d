package io.attnstream.cli;

import io.attnstream.platform.CheckedProducer;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.ProducerLoop;
import io.attnstream.platform.RecordGenerator;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * One {@code produce} run: a generator's records to Kafka, every send checked, until the generator
 * ends, the duration passes or Ctrl-C; then what was sent and which faults were injected.
 */
public record ProducingRun(
        KafkaSettings kafka, String source, String topic, double rate, Long durationSeconds) {

    /**
     * A run to the topic configured for {@code topicKey}, with Kafka from --bootstrap-servers,
     * --kafka-property and -D.
     */
    public static ProducingRun to(
            CommonOptions common,
            String source,
            ConfigOption<String> topicKey,
            double rate,
            Long durationSeconds) {
        Configuration conf = common.configuration();
        return new ProducingRun(
                common.kafka(conf),
                source,
                common.topics(conf).name(topicKey),
                rate,
                durationSeconds);
    }

    /**
     * Sends the generator's records, then closes it (a replay holds its file open) however the run
     * ends.
     */
    public <G extends RecordGenerator & AutoCloseable> void run(
            G generator, Supplier<Map<String, Long>> injected, PrintWriter out) throws Exception {
        try (generator;
                CheckedProducer producer =
                        new CheckedProducer(kafka, "attnstream-produce-" + source)) {
            ProducerLoop loop = new ProducerLoop(producer, generator, rate);
            Thread hook = new Thread(loop::stop, "produce-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            long t0 = System.nanoTime();
            long sent =
                    loop.run(durationSeconds == null ? null : Duration.ofSeconds(durationSeconds));
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(
                    "produced %d %s record(s) to %s in %.1f s (%.0f/s)%n",
                    sent, source, topic, secs, sent / Math.max(secs, 1e-9));
            Map<String, Long> faults = injected.get();
            if (!faults.values().stream().allMatch(n -> n == 0)) {
                out.printf("injected faults: %s%n", faults);
            }
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already on its way out.
            }
        }
    }
}
