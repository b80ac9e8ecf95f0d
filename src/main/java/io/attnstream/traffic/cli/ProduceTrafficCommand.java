package io.attnstream.traffic.cli;

import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.Main;
import io.attnstream.cli.ProduceDuration;
import io.attnstream.cli.ProducingRun;
import io.attnstream.platform.Topics;
import io.attnstream.traffic.data.LosLoopReplay;
import io.attnstream.traffic.sim.ReadingFaults;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import io.attnstream.traffic.sim.TrafficReadingStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code produce traffic}: the road-network simulator or a speed-matrix replay, with faults
 * injected on request.
 */
@Command(
        name = "traffic",
        mixinStandardHelpOptions = true,
        description =
                "Write TrafficReadings to Kafka: the road-network simulator, or a replay of a"
                        + " speed-matrix CSV with its historical event times.")
public final class ProduceTrafficCommand implements Callable<Integer> {
    @Option(
            names = "--replay",
            paramLabel = "CSV",
            description = "Replay this file (traffic: Los-loop speed CSV) instead of simulating.")
    Path replay;

    @Option(
            names = "--speedup",
            defaultValue = "60",
            description =
                    "Simulated or replayed time runs this many times faster than real time; 0 = as"
                            + " fast as possible (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description =
                    "Cap on records per second; 0 = only the --speedup pacing (default:"
                            + " ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--sensors",
            defaultValue = "20",
            description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(
            names = "--network-id",
            description =
                    "Road network id of the readings (default: sim-net, or los-loop for replays).")
    String networkId;

    @Option(
            names = "--start",
            paramLabel = "INSTANT",
            description =
                    "UTC time of the first replayed row (default: Los-loop's 2012-03-01T00:00:00Z)"
                            + " or of the simulation (default: 2024-01-01T00:00:00Z).")
    Instant start;

    @Option(
            names = "--missing-rate",
            defaultValue = "0",
            description = "Fraction of readings dropped (default: ${DEFAULT-VALUE}).")
    double missingRate;

    @Option(
            names = "--invalid-rate",
            defaultValue = "0",
            description =
                    "Fraction of readings made invalid, cycling NaN, negative, > 200 mph, unknown"
                            + " sensor, undecodable bytes (default: ${DEFAULT-VALUE}).")
    double invalidRate;

    @Option(
            names = "--late-rate",
            defaultValue = "0",
            description =
                    "Fraction of readings sent late, with an event time --late-by in the past"
                            + " (default: ${DEFAULT-VALUE}).")
    double lateRate;

    @Option(
            names = "--late-by",
            defaultValue = "PT15M",
            description =
                    "How far behind in event time a late reading is, ISO-8601 (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration lateBy;

    @Option(
            names = "--out-of-order-rate",
            defaultValue = "0",
            description =
                    "Fraction of readings held back and sent after later ones (default:"
                            + " ${DEFAULT-VALUE}).")
    double outOfOrderRate;

    @Option(
            names = "--out-of-order-bound",
            defaultValue = "PT20S",
            description =
                    "At most this much event time behind the newest reading sent, ISO-8601"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration outOfOrderBound;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Random seed of the simulator and the faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin ProduceDuration duration;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Long durationSeconds = duration.checkedSeconds();
        if (sensors < 1 || rate < 0 || speedup < 0) {
            throw new Main.UsageException("--sensors must be >= 1, --rate and --speedup >= 0");
        }
        if (replay != null && !Files.isReadable(replay)) {
            throw new Main.UsageException("replay file not found or unreadable: " + replay);
        }
        ReadingFaults faults;
        try {
            faults =
                    ReadingFaults.builder()
                            .seed(seed)
                            .missing(missingRate)
                            .invalid(invalidRate)
                            .late(lateRate, lateBy)
                            .outOfOrder(outOfOrderRate, outOfOrderBound)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        ProducingRun producing =
                ProducingRun.to(common, "traffic", Topics.TRAFFIC_READINGS, rate, durationSeconds);
        TrafficReadingStream generator;
        if (replay != null) {
            generator =
                    TrafficReadingStream.replay(
                            replay,
                            producing.topic(),
                            networkId == null ? "los-loop" : networkId,
                            speedup,
                            start == null ? LosLoopReplay.DEFAULT_START : start,
                            (int) LosLoopReplay.STEP.toSeconds(),
                            faults,
                            seed);
        } else {
            RoadNetworkSimulator.Builder sim =
                    RoadNetworkSimulator.builder().sensors(sensors).seed(seed);
            if (start != null) {
                sim.start(start);
            }
            generator =
                    TrafficReadingStream.simulated(
                            sim.build(),
                            producing.topic(),
                            networkId == null ? "sim-net" : networkId,
                            speedup,
                            faults,
                            seed);
        }
        producing.run(generator, faults::injected, spec.commandLine().getOut());
        return 0;
    }
}
