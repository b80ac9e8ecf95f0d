package io.attnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.demo.DemoModels;
import io.attnstream.demo.DemoPipelines;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer's console shows: {@code train} and {@code demo} run as a user runs them, in a JVM
 * of their own (PyTorch's C++ warnings go to the process's stderr, which no in-process capture
 * sees), and print none of the libraries' noise: PyTorch's NNPACK line on every convolution, DJL's
 * GPU-count warning on a machine without CUDA, the embedded broker's offsets-topic race.
 */
class QuietConsoleIT {
    /** Lines that said nothing a user could act on, as they were printed before they were fixed. */
    private static final Pattern NOISE =
            Pattern.compile(
                    "Could not initialize NNPACK|Failed to detect GPU count|CUDA driver version is"
                            + " insufficient|TOPIC_ALREADY_EXISTS");

    @Test
    void trainVideoPrintsItsProgressAndNoLibraryNoise(@TempDir Path dir) throws Exception {
        Console c =
                run(
                        dir,
                        180,
                        "train",
                        "video",
                        "--simulate",
                        "12",
                        "--width",
                        "64",
                        "--height",
                        "48",
                        "--epochs",
                        "1",
                        "--out",
                        dir.resolve("models").toString());

        assertThat(c.exit()).as("console: %s", c.lines()).isZero();
        assertThat(c.lines()).anyMatch(l -> l.startsWith("model written to "));
        assertThat(Files.exists(dir.resolve("models/video-segmenter/1/model.json"))).isTrue();
        assertThat(c.lines()).noneMatch(l -> NOISE.matcher(l).find());
    }

    /**
     * The demo on stand-in models (untrained, so that it does not train for minutes first): its
     * status lines and summary, and no noise from PyTorch, DJL, Flink or the embedded broker.
     */
    @Test
    void demoPrintsItsStatusAndSummaryAndNoLibraryNoise(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        int sensors = 20;
        RoadNetworkSimulator network = DemoPipelines.trafficNetwork(sensors, DemoCommand.SEED);
        TrafficModels.writeUntrained(
                models.resolve(DemoModels.TRAFFIC + "/1"),
                DemoModels.TRAFFIC,
                "1",
                network.sensorIds(),
                network.adjacency().weights(),
                12,
                12,
                16,
                2,
                3);
        SequenceModels.writeUntrained(
                models.resolve(DemoModels.CLICKS + "/1"),
                DemoModels.CLICKS,
                "1",
                ItemVocabulary.of(DemoPipelines.shop(DemoCommand.SEED).itemIds()),
                20,
                16,
                1,
                1,
                3);

        Console c =
                run(
                        dir,
                        240,
                        "demo",
                        "--duration",
                        "25",
                        "--sensors",
                        String.valueOf(sensors),
                        "--out",
                        dir.resolve("out").toString(),
                        "-Dattnstream.models.root=" + models);

        assertThat(c.exit()).as("console: %s", c.lines()).isZero();
        assertThat(Files.exists(dir.resolve("out/summary.json"))).isTrue();
        assertThat(c.lines()).noneMatch(l -> NOISE.matcher(l).find());
    }

    private record Console(int exit, List<String> lines) {}

    /** Runs the CLI in a child JVM with the test classpath; stdout and stderr together. */
    private static Console run(Path dir, int timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(cp);
        command.add("io.attnstream.cli.Main");
        command.addAll(List.of(args));
        Path console = dir.resolve("console.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(console.toFile());
        Process p = builder.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "no exit after " + timeoutSeconds + " s: " + Files.readString(console));
        }
        return new Console(p.exitValue(), Files.readAllLines(console, StandardCharsets.UTF_8));
    }
}
