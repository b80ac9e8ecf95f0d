package io.attnstream.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.ClickFixtures;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.job.ClicksPipeline;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.HistoryWeight;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.testing.EmbeddedKafkaExtension;
import io.attnstream.testing.PipelineRun;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.job.TrafficPipeline;
import io.attnstream.traffic.model.TrafficModels;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling (issue 15): a job stopped with a savepoint at parallelism 2 is restored at 4, stopped
 * again and restored at 1. Keyed state moves between subtasks by key group; every user's history
 * and dedup memory and every network's open interval must come back, whichever subtask now owns it.
 * Four slots, so parallelism 4 runs.
 */
class RescaleIT {
    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final int[] PARALLELISM = {2, 4, 1};

    @Test
    void everyUsersHistoryAndDedupMemoryComeBackAtParallelism4Then1(@TempDir Path tmp)
            throws Exception {
        int users = 40;
        List<String> items = IntStream.range(0, 30).mapToObj(i -> "i" + i).toList();
        Path model =
                SequenceModels.writeUntrained(
                        tmp.resolve("shop/1"),
                        "shop",
                        "1",
                        ItemVocabulary.of(items),
                        8,
                        16,
                        2,
                        1,
                        3);
        Topics topics =
                PipelineRun.createTopics(KAFKA, new ClicksPipeline(), PipelineRun.config("rs.", 2));
        String in = topics.name(Topics.CLICKS_EVENTS);
        String att = topics.name(Topics.CLICKS_ATTENTION);
        AvroCodec<ClickEvent> codec = AvroCodec.of(ClickEvent.class);
        Map<String, List<String>> clicked = new HashMap<>();
        String savepoint = null;
        int expected = 0;
        int click = 0;
        for (int phase = 0; phase < PARALLELISM.length; phase++) {
            Configuration conf = PipelineRun.config("rs.", PARALLELISM[phase]);
            conf.set(ClicksPipeline.MODEL, model.toString());
            long started = System.nanoTime();
            try (PipelineRun run =
                    PipelineRun.start(new ClicksPipeline(), KAFKA.settings(), conf, savepoint)) {
                List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
                int rounds = phase == 0 ? 3 : 1;
                for (int r = 0; r < rounds; r++, click++) {
                    for (int u = 0; u < users; u++) {
                        String user = "u" + u;
                        String item = items.get((u * 7 + click * 3) % items.size());
                        ClickEvent e = ClickFixtures.click(user, item, click, List.of());
                        e.setEventId(user + "-" + click);
                        clicked.computeIfAbsent(user, k -> new ArrayList<>()).add(item);
                        records.add(
                                new ProducerRecord<>(
                                        in,
                                        user.getBytes(StandardCharsets.UTF_8),
                                        codec.encode(e)));
                    }
                }
                if (phase > 0) {
                    // u0's first click again: a re-delivery, recognised by the restored dedup
                    // memory
                    ClickEvent again =
                            ClickFixtures.click("u0", clicked.get("u0").get(0), 0, List.of());
                    again.setEventId("u0-0");
                    records.add(
                            new ProducerRecord<>(
                                    in,
                                    "u0".getBytes(StandardCharsets.UTF_8),
                                    codec.encode(again)));
                }
                KAFKA.produce(records);
                expected += users * rounds;
                KAFKA.consume(att, true, expected, Duration.ofSeconds(90));
                long served = System.nanoTime();
                Thread.sleep(2_000); // a few checkpoints: a wrongly scored re-delivery would be out
                var out = KAFKA.consume(att, true, expected, Duration.ofSeconds(10));
                assertThat(out)
                        .as(
                                "phase %d at parallelism %d: one output per new click, none for the"
                                        + " re-delivery",
                                phase, PARALLELISM[phase])
                        .hasSize(expected);
                if (phase > 0) {
                    AvroCodec<RecommendationAttention> ac =
                            AvroCodec.of(RecommendationAttention.class);
                    int checked = 0;
                    for (var r : out.subList(0, out.size())) {
                        RecommendationAttention a = ac.decode(r.value());
                        List<String> all = clicked.get(a.getUserId());
                        if (a.getEventTime().equals(ClickFixtures.T0.plusSeconds(click - 1))) {
                            assertThat(
                                            a.getHistory().stream()
                                                    .map(HistoryWeight::getItemId)
                                                    .toList())
                                    .as(
                                            "%s after the restore at parallelism %d",
                                            a.getUserId(), PARALLELISM[phase])
                                    .isEqualTo(all);
                            checked++;
                        }
                    }
                    assertThat(checked).as("every user's history is back").isEqualTo(users);
                }
                if (phase < PARALLELISM.length - 1) {
                    long stopping = System.nanoTime();
                    savepoint = run.stopWithSavepoint(tmp.resolve("clicks-savepoints"));
                    report("clicks", phase, started, served, stopping, savepoint);
                } else {
                    report("clicks", phase, started, served, 0, null);
                }
            }
        }
    }

    @Test
    void everyOpenIntervalComesBackAtParallelism4Then1(@TempDir Path tmp) throws Exception {
        int networks = 6;
        int sensors = 5;
        long step = 300_000L;
        long t0 = TrafficFixtures.T0.toEpochMilli();
        Path model =
                TrafficModels.writeUntrained(tmp.resolve("tf"), "tf", "1", sensors, 3, 2, 16, 2, 5);
        Topics topics =
                PipelineRun.createTopics(
                        KAFKA, new TrafficPipeline(), PipelineRun.config("rt.", 2));
        String in = topics.name(Topics.TRAFFIC_READINGS);
        String forecasts = topics.name(Topics.TRAFFIC_FORECASTS);
        String savepoint = null;
        for (int phase = 0; phase < PARALLELISM.length; phase++) {
            Configuration conf = PipelineRun.config("rt.", PARALLELISM[phase]);
            conf.set(TrafficPipeline.MODEL, model.toString());
            conf.set(TrafficPipeline.MAX_OUT_OF_ORDERNESS, Duration.ofSeconds(1));
            conf.set(TrafficPipeline.ALLOWED_LATENESS, Duration.ZERO);
            conf.set(TrafficPipeline.IDLENESS, Duration.ofSeconds(2));
            // Phase k completes interval k + 2 and opens k + 3 with sensors s0 and s1 only, which
            // the savepoint then holds open; phase 0 first fills intervals 0..1.
            int closing = phase + 2;
            // Interval by interval, all networks in each: the watermark is per subtask, so a
            // network's
            // next interval must not come before another's current one.
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = phase == 0 ? 0 : closing; i <= closing + 1; i++) {
                for (int network = 0; network < networks; network++) {
                    for (int n = 0; n < sensors; n++) {
                        boolean take = i == closing + 1 ? n < 2 : phase == 0 || n >= 2;
                        if (take) {
                            records.add(
                                    TrafficFixtures.record(
                                            in,
                                            "n" + network,
                                            "s" + n,
                                            t0 + i * step + 60_000 + n * 1_000L,
                                            40 + network + n + i));
                        }
                    }
                }
            }
            long started = System.nanoTime();
            try (PipelineRun run =
                    PipelineRun.start(new TrafficPipeline(), KAFKA.settings(), conf, savepoint)) {
                KAFKA.produce(records);
                int expected = (phase + 1) * networks * sensors;
                var out = KAFKA.consume(forecasts, true, expected, Duration.ofSeconds(90));
                long served = System.nanoTime();
                assertThat(out).hasSize(expected);
                AvroCodec<TrafficForecast> fc = AvroCodec.of(TrafficForecast.class);
                int complete = 0;
                for (var r : out) {
                    TrafficForecast f = fc.decode(r.value());
                    if (f.getEventTime().toEpochMilli() == t0 + closing * step) {
                        assertThat(f.getInputsImputed())
                                .as(
                                        "%s/%s: the readings from before the savepoint are back",
                                        f.getNetworkId(), f.getSensorId())
                                .isZero();
                        complete++;
                    }
                }
                assertThat(complete)
                        .as(
                                "interval %d of every network and sensor, at parallelism %d",
                                closing, PARALLELISM[phase])
                        .isEqualTo(networks * sensors);
                if (phase < PARALLELISM.length - 1) {
                    long stopping = System.nanoTime();
                    savepoint = run.stopWithSavepoint(tmp.resolve("traffic-savepoints"));
                    report("traffic", phase, started, served, stopping, savepoint);
                } else {
                    report("traffic", phase, started, served, 0, null);
                }
            }
        }
    }

    /**
     * One line per phase for the closing note: from submitting the job (restoring the previous
     * savepoint) to all of the phase's outputs on Kafka, then the stop with a savepoint and its
     * size.
     */
    private static void report(
            String job, int phase, long started, long served, long stopping, String savepoint)
            throws Exception {
        String stop = "";
        if (savepoint != null) {
            long bytes;
            try (var files = Files.walk(Path.of(URI.create(savepoint)))) {
                bytes =
                        files.filter(Files::isRegularFile)
                                .mapToLong(f -> f.toFile().length())
                                .sum();
            }
            stop =
                    String.format(
                            Locale.ROOT,
                            "; stop with savepoint %.1f s, %d bytes",
                            (System.nanoTime() - stopping) / 1e9,
                            bytes);
        }
        System.out.printf(
                Locale.ROOT,
                "RESCALE-TEST %s parallelism %d%s: submitted to all outputs %.1f s%s%n",
                job,
                PARALLELISM[phase],
                phase == 0 ? "" : " (restored from parallelism " + PARALLELISM[phase - 1] + ")",
                (served - started) / 1e9,
                stop);
    }
}
