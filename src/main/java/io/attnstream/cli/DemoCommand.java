package io.attnstream.cli;

import io.attnstream.demo.DemoModels;
import io.attnstream.demo.DemoPipelines;
import io.attnstream.demo.DemoRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code demo}: everything on one machine, with a live status and a summary at the end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Start an embedded Kafka broker (or use --bootstrap-servers), create the topics,"
                        + " run the pipelines on a local Flink MiniCluster with the web UI and feed"
                        + " them from simulators. Stops after --duration or on Ctrl-C and writes"
                        + " OUT/summary.json.")
public final class DemoCommand implements Callable<Integer> {
    /**
     * The demo's simulators and its trained model share this seed, so the model fits the simulated
     * network.
     */
    static final long SEED = 42L;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Run this long, then stop cleanly (default: until Ctrl-C).")
    Long durationSeconds;

    @Option(
            names = "--out",
            defaultValue = "demo-out",
            paramLabel = "DIR",
            description = "Where summary.json goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--rate",
            defaultValue = "200",
            description =
                    "Cap on input records per second per pipeline; traffic sends one interval of"
                            + " every sensor per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--sensors",
            defaultValue = "20",
            description = "Simulated traffic sensors (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(
            names = "--corrupt-every",
            defaultValue = "500",
            description =
                    "On average every n-th simulated record is bad (and a fifth as many late), to"
                            + " show the dead-letter path; 0 = never (default: ${DEFAULT-VALUE}).")
    long corruptEvery;

    @Option(
            names = "--kafka-port",
            defaultValue = "0",
            description =
                    "Port of the embedded broker; 0 = any free port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--status-every",
            defaultValue = "5",
            paramLabel = "SECONDS",
            description = "Seconds between status lines (default: ${DEFAULT-VALUE}).")
    long statusEvery;

    @Option(
            names = "--warm-up",
            defaultValue = "20",
            paramLabel = "SECONDS",
            description =
                    "The summary's latency counts outputs whose input was produced after this many"
                            + " seconds of producing (default: ${DEFAULT-VALUE}).")
    long warmUpSeconds;

    @Mixin CommonOptions common;

    @Mixin DeviceOption deviceOption;

    @Override
    public Integer call() throws Exception {
        if (durationSeconds != null && durationSeconds <= 0) {
            throw new Main.UsageException("--duration must be a positive number of seconds");
        }
        if (rate <= 0
                || sensors < 2
                || corruptEvery < 0
                || statusEvery < 1
                || kafkaPort < 0
                || kafkaPort > 65535
                || warmUpSeconds < 0) {
            throw new Main.UsageException(
                    "--rate must be > 0, --sensors >= 2, --corrupt-every >= 0, --status-every >= 1,"
                            + " --kafka-port in 0..65535, --warm-up >= 0");
        }
        var conf = common.configuration();
        deviceOption.applyTo(conf);
        DemoModels.ensureVideo(conf, System.out);
        DemoModels.ensureTraffic(
                conf, DemoPipelines.trafficNetwork(sensors, SEED), SEED, System.out);
        DemoModels.ensureClicks(conf, DemoPipelines.shop(SEED), SEED, System.out);
        DemoRunner runner =
                new DemoRunner(
                        new DemoRunner.Options(
                                durationSeconds == null
                                        ? null
                                        : Duration.ofSeconds(durationSeconds),
                                out,
                                rate,
                                kafkaPort,
                                common.bootstrapGiven() ? common.kafka(conf) : null,
                                conf,
                                Duration.ofSeconds(statusEvery),
                                Duration.ofSeconds(warmUpSeconds)),
                        topics -> DemoPipelines.all(topics, sensors, rate, corruptEvery, SEED, out),
                        System.out);
        Thread hook =
                new Thread(
                        () -> {
                            runner.requestStop();
                            try {
                                runner.awaitFinished(Duration.ofSeconds(60));
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C path: the hook is running and waits for us.
        }
        return 0;
    }
}
