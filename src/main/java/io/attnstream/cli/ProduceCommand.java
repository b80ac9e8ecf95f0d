package io.attnstream.cli;

import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.CheckedProducer;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.ProducerLoop;
import io.attnstream.platform.RecordGenerator;
import io.attnstream.platform.Topics;
import io.attnstream.traffic.LosLoopReplay;
import io.attnstream.traffic.ReadingFaults;
import io.attnstream.traffic.TrafficReadingStream;
import io.attnstream.traffic.TrafficSimulator;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code produce <source>}: simulated or replayed input records, written to the source's input topic. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Write input records to Kafka: a live simulator, or a replay of a dataset file.")
public final class ProduceCommand implements Callable<Integer> {
    public enum Source { traffic }

    @Parameters(index = "0", paramLabel = "SOURCE", description = "What to produce: ${COMPLETION-CANDIDATES}.")
    Source source;

    @Option(names = "--replay", paramLabel = "CSV", description = "Replay this file (traffic: Los-loop speed CSV) instead of simulating.")
    Path replay;

    @Option(names = "--speedup", defaultValue = "60", description = "Replay this many times faster than real time; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(names = "--rate", defaultValue = "200", description = "Simulator records per second; 0 = unthrottled (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until the replay ends or Ctrl-C).")
    Long durationSeconds;

    @Option(names = "--sensors", defaultValue = "20", description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--network-id", description = "Road network id of the readings (default: sim-net, or los-loop for replays).")
    String networkId;

    @Option(names = "--corrupt-every", defaultValue = "0", description = "Make every n-th simulated record bad, to exercise the dead-letter path; 0 = never (default: ${DEFAULT-VALUE}).")
    long corruptEvery;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the simulator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (durationSeconds != null && durationSeconds <= 0) {
            throw new Main.UsageException("--duration must be positive");
        }
        if (sensors < 1 || rate < 0 || corruptEvery < 0) {
            throw new Main.UsageException("--sensors must be >= 1, --rate and --corrupt-every >= 0");
        }
        if (replay != null && !Files.isReadable(replay)) {
            throw new Main.UsageException("replay file not found or unreadable: " + replay);
        }
        Configuration conf = common.configuration();
        KafkaSettings kafka = common.kafka(conf);
        String topic = common.topics(conf).name(Topics.TRAFFIC_READINGS);
        RecordGenerator generator = replay != null
                ? TrafficReadingStream.replay(replay, topic, networkId == null ? "los-loop" : networkId, speedup,
                        LosLoopReplay.DEFAULT_START, (int) LosLoopReplay.STEP.toSeconds(), ReadingFaults.none(), seed)
                : new TrafficSimulator(topic, networkId == null ? "sim-net" : networkId, sensors, corruptEvery, seed);
        try (CheckedProducer producer = new CheckedProducer(kafka, "attnstream-produce-" + source)) {
            ProducerLoop loop = new ProducerLoop(producer, generator, replay != null ? 0 : rate);
            Thread hook = new Thread(loop::stop, "produce-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            long t0 = System.nanoTime();
            long sent = loop.run(durationSeconds == null ? null : Duration.ofSeconds(durationSeconds));
            double secs = (System.nanoTime() - t0) / 1e9;
            spec.commandLine().getOut().printf("produced %d %s record(s) to %s in %.1f s (%.0f/s)%n",
                    sent, source, topic, secs, sent / Math.max(secs, 1e-9));
            spec.commandLine().getOut().flush();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already on its way out.
            }
        } finally {
            if (generator instanceof AutoCloseable c) {
                c.close();
            }
        }
        return 0;
    }
}
