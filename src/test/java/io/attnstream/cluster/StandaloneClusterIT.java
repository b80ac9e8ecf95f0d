package io.attnstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.attnstream.clicks.job.ClicksJob;
import io.attnstream.clicks.job.ClicksPipeline;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.pipeline.AttentionSample;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.Topics;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.schema.ScoredItem;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.ClusterLogsOnFailure;
import io.attnstream.testing.FaultRun;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.OutputCounts;
import io.attnstream.testing.StandaloneCluster;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.WindowEncoder;
import io.attnstream.video.VideoFixtures;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.PngMasks;
import io.attnstream.video.image.RgbImage;
import io.attnstream.video.model.FrameSegmenter;
import io.attnstream.video.model.SegmentationModels;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clicks job on a real standalone Flink cluster (JobManager and TaskManager JVMs started by
 * {@code flink-cluster.sh} from the shaded jar), against the in-process broker:
 *
 * <ol>
 *   <li>it publishes the same outputs as on the MiniCluster for the same inputs;
 *   <li>sequence-numbered clicks stream through its exactly-once sinks while the TaskManager is
 *       killed ({@code kill -9}) twice and a new one started: read_committed, every input has
 *       exactly one output;
 *   <li>stop with a savepoint and start again from it, then again with an operator added: every
 *       user's history and re-delivery memory (keyed state) is back. The restored jobs run in the
 *       TaskManager JVM that ran the stopped one: DJL, loaded parent-first, is not loaded a second
 *       time.
 * </ol>
 *
 * It prints the figures of the fault test (inputs, outputs, dead letters, duplicates, missing,
 * restarts, longest recovery, state restored) on one line starting with {@code FAULT-TEST}.
 */
class StandaloneClusterIT extends FlinkKafkaTestBase {
    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
    private static final int ITEMS = 200;
    private static final int MAX_LENGTH = 64;
    private static final int USERS = 40;
    private static final int FAULT_EVENTS = 1_200;
    private static final int MALFORMED_EVERY = 100;
    private static final int MALFORMED_FRAME_EVERY = 25;

    /** The repository's config.yaml plus what makes a test of a few minutes possible. */
    private static final List<String> CLUSTER_OPTIONS =
            List.of(
                    "execution.checkpointing.interval=1s",
                    "execution.checkpointing.min-pause=200ms",
                    // A killed TaskManager is noticed when heartbeats fail; seconds instead of
                    // Flink's 50 s default.
                    "heartbeat.interval=1000",
                    "heartbeat.timeout=6000",
                    "jobmanager.memory.process.size=1g",
                    "taskmanager.memory.process.size=2g",
                    "taskmanager.memory.task.off-heap.size=512m");

    @RegisterExtension final ClusterLogsOnFailure logs = new ClusterLogsOnFailure();

    private final AvroCodec<ClickEvent> clicks = AvroCodec.of(ClickEvent.class);
    private final AvroCodec<Recommendation> recommendations = AvroCodec.of(Recommendation.class);

    @Test
    void clicksJobOnAStandaloneClusterKeepsExactlyOnceThroughKillsAndSavepoints(@TempDir Path tmp)
            throws Exception {
        Path model =
                SequenceModels.writeUntrained(
                        tmp.resolve("models"), "seq", "1", ITEMS, MAX_LENGTH, 16, 2, 1, 3);
        Topics cluster = topics("sc.");
        Topics mini = topics("mc.");
        for (Topics t : List.of(cluster, mini)) {
            KAFKA.createTopics(
                    2,
                    t.name(Topics.CLICKS_EVENTS),
                    t.name(Topics.CLICKS_RECOMMENDATIONS),
                    t.name(Topics.CLICKS_ATTENTION),
                    t.name(Topics.DEAD_LETTER),
                    t.name(Topics.MODEL_UPDATES));
        }
        try (StandaloneCluster flink =
                logs.watch(StandaloneCluster.start(tmp.resolve("cluster"), CLUSTER_OPTIONS))) {
            List<String> run = runArgs("clicks", model, "sc.", "attnstream.clicks.top-k=5");

            // 1. The same inputs through the cluster and through the MiniCluster give the same
            // outputs.
            List<ProducerRecord<byte[], byte[]>> same = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                same.add(click(cluster, "m" + (i % 6), "m" + i, i));
            }
            KAFKA.produce(same);
            KAFKA.produce(
                    same.stream()
                            .map(
                                    r ->
                                            new ProducerRecord<>(
                                                    mini.name(Topics.CLICKS_EVENTS),
                                                    r.key(),
                                                    r.value()))
                            .toList());
            String job = flink.submit(List.of(), run);
            runOnMiniCluster(model, mini, 60);
            Map<String, Recommendation> onCluster =
                    byInput(
                            KAFKA.consume(
                                    cluster.name(Topics.CLICKS_RECOMMENDATIONS),
                                    true,
                                    60,
                                    Duration.ofSeconds(90)));
            Map<String, Recommendation> onMini =
                    byInput(
                            KAFKA.consume(
                                    mini.name(Topics.CLICKS_RECOMMENDATIONS),
                                    true,
                                    60,
                                    Duration.ofSeconds(30)));
            assertThat(onCluster).hasSize(60);
            assertThat(onCluster.keySet()).isEqualTo(onMini.keySet());
            onCluster.forEach((input, c) -> assertSameRecommendation(c, onMini.get(input)));

            // 2. Sequence-numbered clicks while the TaskManager dies twice.
            FaultRun faults = new FaultRun();
            List<RecordMetadata> sent =
                    faults.streamThroughKills(
                            flink,
                            job,
                            2,
                            () ->
                                    KAFKA.producePaced(
                                            faultStream(cluster), 48, Duration.ofSeconds(1)));
            int valid = FAULT_EVENTS - FAULT_EVENTS / MALFORMED_EVERY;
            List<ConsumerRecord<byte[], byte[]>> out =
                    readAll(
                            cluster.name(Topics.CLICKS_RECOMMENDATIONS),
                            60 + valid,
                            Duration.ofSeconds(180));
            OutputCounts<String> outputsPerInput = new OutputCounts<>();
            Map<String, Recommendation> byUserAndInput = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : out) {
                Recommendation rec = recommendations.decode(r.value());
                outputsPerInput.add(input(rec.getLineage()));
                byUserAndInput.put(
                        rec.getUserId()
                                + "@"
                                + rec.getLineage().getPartition()
                                + "/"
                                + String.format("%08d", rec.getLineage().getOffset()),
                        rec);
            }
            List<String> validInputs = new ArrayList<>();
            List<String> malformedInputs = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                (malformedClick(i) ? malformedInputs : validInputs).add(input(sent.get(i)));
            }
            List<String> missing = outputsPerInput.missing(validInputs);
            long duplicates = outputsPerInput.duplicates();
            OutputCounts<String> dead = deadLetters(cluster, malformedInputs.size());

            assertThat(duplicates).as("duplicate recommendations").isZero();
            assertThat(missing).as("inputs without a recommendation").isEmpty();
            assertThat(out).hasSize(60 + valid);
            assertThat(dead.inputs()).containsExactlyInAnyOrderElementsOf(malformedInputs);
            assertThat(dead.duplicates()).as("duplicate dead letters").isZero();
            assertThat(faults.restarts()).isGreaterThanOrEqualTo(2);
            // Exactly-once state as well as output: no click was added to a history twice or lost
            // from it.
            Map<String, Integer> lengthSoFar = new HashMap<>();
            Map<String, Integer> lastLength = new HashMap<>();
            byUserAndInput.values().stream()
                    .filter(r -> r.getUserId().startsWith("f"))
                    .sorted(Comparator.comparing((Recommendation r) -> r.getEventTime()))
                    .forEach(
                            r -> {
                                int expected =
                                        Math.min(
                                                lengthSoFar.merge(r.getUserId(), 1, Integer::sum),
                                                MAX_LENGTH);
                                assertThat(r.getHistoryLength())
                                        .as("history length of %s", r.getUserId())
                                        .isEqualTo(expected);
                                lastLength.put(r.getUserId(), r.getHistoryLength());
                            });
            assertThat(lastLength).hasSize(USERS);

            // 3. Stop with a savepoint, start from it: each user's history continues, re-deliveries
            // are still known.
            String savepoint = flink.stopWithSavepoint(job, tmp.resolve("savepoints"));
            // The clicks read so far leave Kafka: a history can only come back from the savepoint.
            deleteAllRecords(cluster.name(Topics.CLICKS_EVENTS));
            StateCheck first = new StateCheck(cluster, lastLength, FAULT_EVENTS, 60 + valid);
            first.produceWhileStopped();
            String restored = flink.submit(List.of("--fromSavepoint", savepoint), run);
            first.verify();

            // 4. The same after adding an operator (attention sampling) to the job.
            String savepoint2 = flink.stopWithSavepoint(restored, tmp.resolve("savepoints"));
            deleteAllRecords(cluster.name(Topics.CLICKS_EVENTS));
            StateCheck second =
                    new StateCheck(
                            cluster, first.lengths(), FAULT_EVENTS + 2 * USERS, 60 + valid + USERS);
            second.produceWhileStopped();
            List<String> withSampling = new ArrayList<>(run);
            withSampling.addAll(List.of("-D", AttentionSample.RATE.key() + "=0.5"));
            String extended = flink.submit(List.of("--fromSavepoint", savepoint2), withSampling);
            assertThat(flink.vertexNames(extended))
                    .anySatisfy(n -> assertThat(n).contains("attention sample"));
            second.verify();
            List<RecommendationAttention> sampled = second.attentionOfNewPredictions();
            assertThat(sampled)
                    .isNotEmpty()
                    .hasSizeLessThan(USERS)
                    .allSatisfy(
                            a ->
                                    assertThat(AttentionSample.keeps(a.getPredictionId(), 0.5))
                                            .isTrue());
            assertThat(sampled)
                    .hasSize(
                            (int)
                                    second.newPredictionIds().stream()
                                            .filter(id -> AttentionSample.keeps(id, 0.5))
                                            .count());
            flink.cancel(extended);

            int restoredUsers = first.restoredUsers() + second.restoredUsers();
            System.out.printf(
                    "FAULT-TEST inputs=%d (valid %d, malformed %d) outputs=%d dead-letters=%d"
                            + " duplicates=%d missing=%d %s state-restored=%d/%d%n",
                    FAULT_EVENTS,
                    valid,
                    FAULT_EVENTS / MALFORMED_EVERY,
                    out.size() - 60,
                    dead.outputs(),
                    duplicates,
                    missing.size(),
                    faults.figures(),
                    restoredUsers,
                    2 * USERS);
        }
    }

    /**
     * The traffic job through two TaskManager kills while intervals stream in. Each sensor reports
     * twice per interval with different speeds, so an interval's mean (keyed state of the aligner)
     * is right only if each reading counted once; the forecasts are checked against the model
     * called directly on the expected windows.
     */
    @Test
    void trafficJobOnAStandaloneClusterKeepsExactlyOnceThroughKills(@TempDir Path tmp)
            throws Exception {
        int networks = 4;
        int sensors = 5;
        int t = 4;
        int horizon = 3;
        int intervals = 60;
        Path model =
                TrafficModels.writeUntrained(
                        tmp.resolve("models"), "tf", "1", sensors, t, horizon, 16, 2, 5);
        Topics topics = topics("tk.");
        KAFKA.createTopics(
                2,
                topics.name(Topics.TRAFFIC_READINGS),
                topics.name(Topics.TRAFFIC_FORECASTS),
                topics.name(Topics.TRAFFIC_ATTENTION),
                topics.name(Topics.DEAD_LETTER),
                topics.name(Topics.MODEL_UPDATES));
        // Every sixth interval one reading above the speed limit: a dead letter, not in any mean.
        List<ProducerRecord<byte[], byte[]>> stream = new ArrayList<>();
        Set<Integer> tooFast = new HashSet<>();
        for (int i = 0; i < intervals; i++) {
            for (int r = 0; r < 2; r++) {
                for (int net = 0; net < networks; net++) {
                    for (int n = 0; n < sensors; n++) {
                        stream.add(
                                reading(
                                        topics,
                                        net,
                                        n,
                                        i * STEP_MS + r * 100_000L + n * 7_000L,
                                        trafficSpeed(net, n, i, r)));
                    }
                }
            }
            if (i % 6 == 5) {
                tooFast.add(stream.size());
                stream.add(reading(topics, i % networks, 0, i * STEP_MS + 200_000L, 500f));
            }
        }
        // With 30 s of out-of-orderness and of lateness the last interval stays open: windows end
        // at intervals t - 1 .. intervals - 2.
        Map<String, WindowEncoder.TimedWindow> windows = new LinkedHashMap<>();
        for (int net = 0; net < networks; net++) {
            for (int last = t - 1; last <= intervals - 2; last++) {
                float[][] w = new float[t][sensors];
                for (int k = 0; k < t; k++) {
                    for (int n = 0; n < sensors; n++) {
                        int i = last - t + 1 + k;
                        w[k][n] = (trafficSpeed(net, n, i, 0) + trafficSpeed(net, n, i, 1)) / 2;
                    }
                }
                windows.put(
                        "n" + net + "@" + T0.plusMillis(last * STEP_MS).toEpochMilli(),
                        new WindowEncoder.TimedWindow(
                                w, T0.plusMillis((last - t + 1) * STEP_MS).toEpochMilli()));
            }
        }
        Map<String, float[]> expected = TrafficFixtures.forecasts(model, windows);
        List<String> run =
                runArgs("traffic", model, "tk.", "attnstream.traffic.source-idleness=5s");
        try (StandaloneCluster flink =
                logs.watch(StandaloneCluster.start(tmp.resolve("cluster"), CLUSTER_OPTIONS))) {
            String job = flink.submit(List.of(), run);
            FaultRun faults = new FaultRun();
            // One interval (40 readings) every 0.4 s: ~25 s.
            List<RecordMetadata> sent =
                    faults.streamThroughKills(
                            flink,
                            job,
                            2,
                            () ->
                                    KAFKA.producePaced(
                                            stream,
                                            2 * networks * sensors,
                                            Duration.ofMillis(400)));

            List<ConsumerRecord<byte[], byte[]>> forecastRecords =
                    readAll(
                            topics.name(Topics.TRAFFIC_FORECASTS),
                            expected.size(),
                            Duration.ofSeconds(180));
            OutputCounts<String> forecasts = new OutputCounts<>();
            List<String> wrong = new ArrayList<>();
            Set<String> predictions = new HashSet<>();
            AvroCodec<TrafficForecast> forecastCodec = AvroCodec.of(TrafficForecast.class);
            for (var r : forecastRecords) {
                TrafficForecast f = forecastCodec.decode(r.value());
                String key = TrafficFixtures.key(f);
                forecasts.add(key);
                predictions.add(f.getPredictionId());
                // Checked once the figures are printed: an interval's mean counted each reading
                // once (none lost or added twice), no input imputed.
                float[] want = expected.get(key);
                if (want == null || f.getInputsImputed() != 0 || !sameSpeeds(f, want)) {
                    wrong.add(key + " " + f.getSpeedsMph() + " imputed " + f.getInputsImputed());
                }
            }
            OutputCounts<String> attention = new OutputCounts<>();
            AvroCodec<TrafficAttention> attentionCodec = AvroCodec.of(TrafficAttention.class);
            Set<String> attended = new HashSet<>();
            // After the readAll above: the transactions it waited for are in this topic too.
            for (var r :
                    KAFKA.consume(
                            topics.name(Topics.TRAFFIC_ATTENTION),
                            true,
                            expected.size(),
                            Duration.ofSeconds(60))) {
                TrafficAttention a = attentionCodec.decode(r.value());
                attention.add(
                        a.getNetworkId()
                                + "@"
                                + a.getEventTime().toEpochMilli()
                                + "/"
                                + a.getSensorId());
                attended.add(a.getPredictionId());
            }
            List<String> deadInputs = new ArrayList<>();
            tooFast.forEach(i -> deadInputs.add(input(sent.get(i))));
            OutputCounts<String> dead = deadLetters(topics, deadInputs.size());
            long duplicates = forecasts.duplicates() + attention.duplicates();
            List<String> missingForecasts = forecasts.missing(expected.keySet());
            List<String> missingAttention = attention.missing(expected.keySet());
            System.out.printf(
                    "FAULT-TEST traffic readings=%d (valid %d, malformed %d) windows=%d"
                            + " forecasts=%d attention=%d dead-letters=%d duplicates=%d missing=%d"
                            + " %s%n",
                    stream.size(),
                    stream.size() - tooFast.size(),
                    tooFast.size(),
                    windows.size(),
                    forecasts.outputs(),
                    attention.outputs(),
                    dead.outputs(),
                    duplicates,
                    missingForecasts.size() + missingAttention.size(),
                    faults.figures());

            assertThat(sent).hasSize(stream.size());
            assertThat(forecasts.duplicates()).as("duplicate forecasts").isZero();
            assertThat(missingForecasts).as("window sensors without a forecast").isEmpty();
            assertThat(attention.duplicates()).as("duplicate attention records").isZero();
            assertThat(missingAttention).as("window sensors without attention").isEmpty();
            assertThat(forecasts.inputs()).isEqualTo(new TreeSet<>(expected.keySet()));
            assertThat(attention.inputs()).isEqualTo(forecasts.inputs());
            assertThat(wrong).as("forecasts not the model's on the expected window").isEmpty();
            assertThat(attended).as("attention by prediction id").isEqualTo(predictions);
            assertThat(predictions).hasSize(expected.size());
            assertThat(dead.inputs()).containsExactlyInAnyOrderElementsOf(deadInputs);
            assertThat(dead.duplicates()).as("duplicate dead letters").isZero();
            assertThat(faults.restarts()).isGreaterThanOrEqualTo(2);
        }
    }

    /** Whether the forecast's speeds are {@code want}, to 1e-3 mph. */
    private static boolean sameSpeeds(TrafficForecast f, float[] want) {
        if (f.getSpeedsMph().size() != want.length) {
            return false;
        }
        for (int h = 0; h < want.length; h++) {
            if (Math.abs(f.getSpeedsMph().get(h) - want[h]) > 1e-3f) {
                return false;
            }
        }
        return true;
    }

    /** Speed of sensor n of network net in interval i, its r-th reading there (0 or 1). */
    private static float trafficSpeed(int net, int n, int i, int r) {
        return 40f + 5 * net + 3 * n + (float) Math.sin(i * 0.7 + n) * 5 + (r == 0 ? -4 : 4);
    }

    /**
     * A reading of sensor s{n} of network n{net} at {@code millis} after T0, on partition net % 2
     * (so both partitions, and so the watermark, advance with the stream).
     */
    private static ProducerRecord<byte[], byte[]> reading(
            Topics t, int net, int n, long millis, float speed) {
        TrafficReading r =
                TrafficReading.newBuilder()
                        .setNetworkId("n" + net)
                        .setSensorId("s" + n)
                        .setEventTime(T0.plusMillis(millis))
                        .setSpeedMph(speed)
                        .build();
        return new ProducerRecord<>(
                t.name(Topics.TRAFFIC_READINGS),
                net % 2,
                ("n" + net).getBytes(StandardCharsets.UTF_8),
                TrafficFixtures.bytes(r));
    }

    /**
     * The video job through two TaskManager kills while frames of four cameras stream in (PNG and
     * raw RGB, four sizes); one frame in {@code MALFORMED_FRAME_EVERY} is a PNG cut in half.
     */
    @Test
    void videoJobOnAStandaloneClusterKeepsExactlyOnceThroughKills(@TempDir Path tmp)
            throws Exception {
        int cameras = 4;
        int framesPerCamera = 100;
        int pictures = 5;
        int[][] sizes = {{64, 48}, {80, 60}, {50, 30}, {48, 32}};
        SegmentationClasses classes = SegmentationClasses.camVid();
        Path model =
                SegmentationModels.writeUntrained(
                        tmp.resolve("models").resolve("seg"),
                        "seg",
                        "1",
                        classes,
                        48,
                        32,
                        List.of(8, 16, 32),
                        2,
                        5);
        Topics topics = topics("vk.");
        String in = topics.name(Topics.VIDEO_FRAMES);
        KAFKA.createTopics(
                2,
                in,
                topics.name(Topics.VIDEO_SEGMENTS),
                topics.name(Topics.VIDEO_ATTENTION),
                topics.name(Topics.DEAD_LETTER),
                topics.name(Topics.MODEL_UPDATES));
        // Each camera shows one of a few pictures per frame; its masks are the model's, computed
        // once per picture.
        StreetSceneGenerator generator = new StreetSceneGenerator(3);
        Map<String, BufferedImage> picture = new HashMap<>();
        Map<String, byte[]> mask = new HashMap<>();
        try (LoadedModel direct = ModelStore.load(model, Device.cpu())) {
            FrameSegmenter segmenter = FrameSegmenter.of(direct, 1);
            for (int c = 0; c < cameras; c++) {
                for (int p = 0; p < pictures; p++) {
                    BufferedImage image = generator.render(c, p, sizes[c][0], sizes[c][1]).image();
                    picture.put(c + "/" + p, image);
                    mask.put(
                            c + "/" + p,
                            segmenter.segment(List.of(RgbImage.of(image))).get(0).mask().classes());
                }
            }
        }
        List<ProducerRecord<byte[], byte[]>> stream = new ArrayList<>();
        List<String> frameOf = new ArrayList<>();
        Set<Integer> truncated = new HashSet<>();
        for (int k = 0; k < framesPerCamera; k++) {
            for (int c = 0; c < cameras; c++) {
                BufferedImage image = picture.get(c + "/" + k % pictures);
                CameraFrame frame;
                if (k % MALFORMED_FRAME_EVERY == MALFORMED_FRAME_EVERY - 1) {
                    truncated.add(stream.size());
                    byte[] png = FrameEncoder.png(image);
                    frame =
                            VideoFixtures.frame(
                                    "cam-" + c,
                                    k,
                                    FrameEncoding.PNG,
                                    Arrays.copyOf(png, png.length / 2),
                                    image.getWidth(),
                                    image.getHeight());
                } else {
                    frame =
                            VideoFixtures.frame(
                                    "cam-" + c,
                                    k,
                                    k % 2 == 0 ? FrameEncoding.PNG : FrameEncoding.RGB8,
                                    image);
                }
                stream.add(VideoFixtures.record(in, frame));
                frameOf.add(c + "/" + k);
            }
        }
        List<String> run = runArgs("video", model, "vk.");
        try (StandaloneCluster flink =
                logs.watch(StandaloneCluster.start(tmp.resolve("cluster"), CLUSTER_OPTIONS))) {
            String job = flink.submit(List.of(), run);
            FaultRun faults = new FaultRun();
            // 16 frames (4 per camera) a second: ~25 s.
            List<RecordMetadata> sent =
                    faults.streamThroughKills(
                            flink,
                            job,
                            2,
                            () -> KAFKA.producePaced(stream, 4 * cameras, Duration.ofSeconds(1)));
            Map<String, String> frameAt = new HashMap<>();
            List<String> validFrames = new ArrayList<>();
            List<String> deadInputs = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                frameAt.put(input(sent.get(i)), frameOf.get(i));
                if (truncated.contains(i)) {
                    deadInputs.add(input(sent.get(i)));
                } else {
                    validFrames.add(frameOf.get(i));
                }
            }

            AvroCodec<SegmentationResult> segmentCodec = AvroCodec.of(SegmentationResult.class);
            OutputCounts<String> segments = new OutputCounts<>();
            List<String> wrong = new ArrayList<>();
            Set<String> predictions = new HashSet<>();
            Map<String, Long> lastSeq = new HashMap<>();
            for (var r :
                    readAll(
                            topics.name(Topics.VIDEO_SEGMENTS),
                            validFrames.size(),
                            Duration.ofSeconds(180))) {
                SegmentationResult s = segmentCodec.decode(r.value());
                String frame = s.getCameraId().substring("cam-".length()) + "/" + s.getFrameSeq();
                segments.add(frame);
                predictions.add(s.getPredictionId());
                String shown =
                        s.getCameraId().substring("cam-".length())
                                + "/"
                                + s.getFrameSeq() % pictures;
                // Checked once the figures are printed: the result is the frame's at its source
                // position, the model's mask at the frame's own size, in the camera's frame order.
                byte[] got =
                        PngMasks.decode(VideoFixtures.bytes(s.getMask()), FrameLimits.DEFAULT)
                                .classes();
                Long previous = lastSeq.put(s.getCameraId(), s.getFrameSeq());
                if (!frame.equals(frameAt.get(input(s.getLineage())))
                        || s.getWidth() != picture.get(shown).getWidth()
                        || s.getHeight() != picture.get(shown).getHeight()
                        || !Arrays.equals(got, mask.get(shown))
                        || (previous != null && s.getFrameSeq() <= previous)) {
                    wrong.add(frame + " at " + input(s.getLineage()) + " after #" + previous);
                }
            }
            AvroCodec<SegmentationAttention> attentionCodec =
                    AvroCodec.of(SegmentationAttention.class);
            OutputCounts<String> attention = new OutputCounts<>();
            Set<String> attended = new HashSet<>();
            // After the readAll above: the transactions it waited for are in this topic too.
            for (var r :
                    KAFKA.consume(
                            topics.name(Topics.VIDEO_ATTENTION),
                            true,
                            validFrames.size(),
                            Duration.ofSeconds(60))) {
                SegmentationAttention a = attentionCodec.decode(r.value());
                attention.add(a.getCameraId().substring("cam-".length()) + "/" + a.getFrameSeq());
                attended.add(a.getPredictionId());
            }
            OutputCounts<String> dead = deadLetters(topics, deadInputs.size());
            long duplicates = segments.duplicates() + attention.duplicates();
            List<String> missingSegments = segments.missing(validFrames);
            List<String> missingAttention = attention.missing(validFrames);
            System.out.printf(
                    "FAULT-TEST video frames=%d (valid %d, malformed %d) segmentations=%d"
                            + " attention=%d dead-letters=%d duplicates=%d missing=%d %s%n",
                    stream.size(),
                    validFrames.size(),
                    truncated.size(),
                    segments.outputs(),
                    attention.outputs(),
                    dead.outputs(),
                    duplicates,
                    missingSegments.size() + missingAttention.size(),
                    faults.figures());

            assertThat(segments.duplicates()).as("duplicate segmentations").isZero();
            assertThat(missingSegments).as("frames without a segmentation").isEmpty();
            assertThat(segments.unexpected(validFrames)).as("segmented malformed frames").isEmpty();
            assertThat(attention.duplicates()).as("duplicate attention records").isZero();
            assertThat(missingAttention).as("frames without attention").isEmpty();
            assertThat(attention.inputs()).isEqualTo(segments.inputs());
            assertThat(wrong).as("results not the model's on their frame, in order").isEmpty();
            assertThat(attended).as("attention by prediction id").isEqualTo(predictions);
            assertThat(dead.inputs()).containsExactlyInAnyOrderElementsOf(deadInputs);
            assertThat(dead.duplicates()).as("duplicate dead letters").isZero();
            assertThat(faults.restarts()).isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * The traffic job keeps, per road network, the readings of intervals not yet closed and the
     * last T closed intervals. Stopped with a savepoint while two intervals are open, and started
     * from it, the first forecasts after the restore need exactly that state: windows over
     * intervals read before the savepoint, with no input imputed. Without the state they would not
     * be made (no full window) or would be mostly imputed.
     */
    @Test
    void trafficIntervalsComeBackFromASavepoint(@TempDir Path tmp) throws Exception {
        int sensors = 5;
        int t = 4;
        int networks = 6;
        Path model =
                TrafficModels.writeUntrained(
                        tmp.resolve("models"), "tf", "1", sensors, t, 3, 16, 2, 5);
        Topics topics = topics("st.");
        KAFKA.createTopics(
                2,
                topics.name(Topics.TRAFFIC_READINGS),
                topics.name(Topics.TRAFFIC_FORECASTS),
                topics.name(Topics.TRAFFIC_ATTENTION),
                topics.name(Topics.DEAD_LETTER),
                topics.name(Topics.MODEL_UPDATES));
        List<String> run =
                runArgs("traffic", model, "st.", "attnstream.traffic.source-idleness=5s");
        String forecasts = topics.name(Topics.TRAFFIC_FORECASTS);
        AvroCodec<TrafficForecast> codec = AvroCodec.of(TrafficForecast.class);
        try (StandaloneCluster flink =
                logs.watch(StandaloneCluster.start(tmp.resolve("cluster"), CLUSTER_OPTIONS))) {
            // Intervals 0-5: with 30 s of out-of-orderness and lateness, 0-3 close (one window per
            // network, ending at 3) and 4-5 stay open in state.
            KAFKA.produce(readings(topics, networks, sensors, 0, 6));
            String job = flink.submit(List.of(), run);
            assertThat(KAFKA.consume(forecasts, true, networks * sensors, Duration.ofSeconds(90)))
                    .hasSize(networks * sensors);
            flink.awaitCheckpoint(job);
            String savepoint = flink.stopWithSavepoint(job, tmp.resolve("savepoints"));
            // The readings of intervals 0-5 leave Kafka: from now on only the savepoint has them.
            deleteAllRecords(topics.name(Topics.TRAFFIC_READINGS));

            // Intervals 6-8 while stopped; after the restore 4-6 close: windows ending at 4, 5 and
            // 6.
            KAFKA.produce(readings(topics, networks, sensors, 6, 9));
            flink.submit(List.of("--fromSavepoint", savepoint), run);
            int total = 4 * networks * sensors;
            List<ConsumerRecord<byte[], byte[]>> all =
                    readAll(forecasts, total, Duration.ofSeconds(120));
            assertThat(all).hasSize(total);
            Map<String, Integer> restoredWindows = new TreeMap<>();
            for (var r : all) {
                TrafficForecast f = codec.decode(r.value());
                long last = (f.getEventTime().toEpochMilli() - T0.toEpochMilli()) / STEP_MS;
                assertThat(f.getInputsImputed())
                        .as("imputed inputs of %s %s @%d", f.getNetworkId(), f.getSensorId(), last)
                        .isZero();
                if (last == 4
                        || last == 5) { // windows over intervals read before the savepoint only
                    restoredWindows.merge(f.getNetworkId(), 1, Integer::sum);
                }
            }
            assertThat(restoredWindows)
                    .as("networks whose pre-savepoint intervals came back")
                    .hasSize(networks)
                    .allSatisfy((n, count) -> assertThat(count).isEqualTo(2 * sensors));
            System.out.printf(
                    "FAULT-TEST traffic savepoint: networks restored %d/%d (windows over"
                            + " pre-savepoint intervals, none imputed: %d)%n",
                    restoredWindows.size(),
                    networks,
                    restoredWindows.values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    private static final long STEP_MS = 300_000L;

    /**
     * Every sensor of every network, intervals [from, to), in time order; a sensor reports 7 s
     * after the previous one.
     */
    private static List<ProducerRecord<byte[], byte[]>> readings(
            Topics t, int networks, int sensors, int from, int to) {
        AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (int net = 0; net < networks; net++) {
                for (int n = 0; n < sensors; n++) {
                    var r =
                            TrafficReading.newBuilder()
                                    .setNetworkId("n" + net)
                                    .setSensorId("s" + n)
                                    .setEventTime(T0.plusMillis(i * STEP_MS + n * 7_000L))
                                    .setSpeedMph(
                                            40f + 3 * n + net + (float) Math.sin(i * 0.7 + n) * 5)
                                    .build();
                    out.add(
                            new ProducerRecord<>(
                                    t.name(Topics.TRAFFIC_READINGS),
                                    ("n" + net).getBytes(StandardCharsets.UTF_8),
                                    codec.encode(r)));
                }
            }
        }
        return out;
    }

    /** Whether fault-stream click {@code seq} is malformed (no item): one in MALFORMED_EVERY. */
    private static boolean malformedClick(int seq) {
        return seq % MALFORMED_EVERY == MALFORMED_EVERY - 1;
    }

    /**
     * FAULT_EVENTS clicks (~25 s at 48 a second), sequence number in the event id, one in
     * MALFORMED_EVERY without an item.
     */
    private List<ProducerRecord<byte[], byte[]>> faultStream(Topics t) throws IOException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int seq = 0; seq < FAULT_EVENTS; seq++) {
            ProducerRecord<byte[], byte[]> r =
                    click(t, "f" + (seq % USERS), "s" + seq, 1_000 + seq);
            if (malformedClick(seq)) {
                ClickEvent bad = clicks.decode(r.value());
                bad.setItemId("");
                r = new ProducerRecord<>(r.topic(), r.key(), clicks.encode(bad));
            }
            records.add(r);
        }
        return records;
    }

    /**
     * While the job is stopped: for every user one new click and one re-delivery of its last click
     * (same event id). After the restore the new click must extend the restored history by one and
     * the re-delivery must produce nothing.
     */
    private final class StateCheck {
        private final Topics topics;
        private final Map<String, Integer> before;
        private final int firstSeq;
        private final int publishedBefore;
        private final Map<String, Integer> after = new HashMap<>();
        private final List<String> newIds = new ArrayList<>();
        private final Map<String, String> inputs = new HashMap<>();

        /**
         * @param publishedBefore recommendations on the topic before this check's clicks
         */
        StateCheck(Topics topics, Map<String, Integer> before, int firstSeq, int publishedBefore) {
            this.topics = topics;
            this.before = Map.copyOf(before);
            this.firstSeq = firstSeq;
            this.publishedBefore = publishedBefore;
        }

        void produceWhileStopped() throws Exception {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                records.add(click(topics, "f" + u, "s" + (firstSeq + u), 10_000 + firstSeq + u));
            }
            for (int u = 0; u < USERS; u++) {
                records.add(records.get(u)); // the re-delivery
            }
            List<RecordMetadata> sent = KAFKA.produce(records);
            for (int u = 0; u < USERS; u++) {
                inputs.put(input(sent.get(u)), "f" + u);
            }
        }

        void verify() throws Exception {
            int total = publishedBefore + USERS;
            List<ConsumerRecord<byte[], byte[]>> out =
                    readAll(
                            topics.name(Topics.CLICKS_RECOMMENDATIONS),
                            total,
                            Duration.ofSeconds(120));
            List<Recommendation> fresh = new ArrayList<>();
            for (var r : out) {
                Recommendation rec = recommendations.decode(r.value());
                String user = inputs.get(input(rec.getLineage()));
                if (user != null) {
                    fresh.add(rec);
                } else if (isReDeliveryOf(rec)) {
                    throw new AssertionError(
                            "a re-delivered click was scored again: " + rec.getLineage());
                }
            }
            assertThat(out)
                    .as("recommendations after the restore (re-deliveries score nothing)")
                    .hasSize(total);
            assertThat(fresh).hasSize(USERS);
            for (Recommendation rec : fresh) {
                after.put(rec.getUserId(), rec.getHistoryLength());
                newIds.add(rec.getPredictionId());
            }
        }

        private boolean isReDeliveryOf(Recommendation rec) {
            return !rec.getEventTime().isBefore(T0.plusSeconds(10_000 + firstSeq));
        }

        int restoredUsers() {
            int n = 0;
            for (var e : before.entrySet()) {
                if (after.getOrDefault(e.getKey(), -1) == Math.min(e.getValue() + 1, MAX_LENGTH)) {
                    n++;
                }
            }
            assertThat(n).as("users whose history continued after the restore").isEqualTo(USERS);
            return n;
        }

        /** Each user's history length after the restore (checked by {@link #restoredUsers()}). */
        Map<String, Integer> lengths() {
            return after;
        }

        List<String> newPredictionIds() {
            return newIds;
        }

        List<RecommendationAttention> attentionOfNewPredictions() throws IOException {
            AvroCodec<RecommendationAttention> codec = AvroCodec.of(RecommendationAttention.class);
            var ids = Set.copyOf(newIds);
            List<RecommendationAttention> found = new ArrayList<>();
            for (var r :
                    KAFKA.consume(
                            topics.name(Topics.CLICKS_ATTENTION),
                            true,
                            Integer.MAX_VALUE,
                            Duration.ofSeconds(8))) {
                RecommendationAttention a = codec.decode(r.value());
                if (ids.contains(a.getPredictionId())) {
                    found.add(a);
                }
            }
            return found;
        }
    }

    private void runOnMiniCluster(Path model, Topics t, int expected) throws Exception {
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.TOPIC_PREFIX, "mc.");
        conf.set(AttnstreamOptions.PARALLELISM, 2);
        conf.set(AttnstreamOptions.START_FROM, "earliest");
        conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(ClicksPipeline.MODEL, model.toString());
        conf.set(ClicksPipeline.TOP_K, 5);
        // Not the cluster job's transactional ids: the two jobs would fence each other's producers.
        conf.set(AttnstreamOptions.TRANSACTIONAL_ID_PREFIX, "mc-clicks");
        JobSettings job = JobSettings.from(ClicksJob.NAME, conf);
        StreamExecutionEnvironment env = FlinkEnvironments.ambient(job, conf);
        new ClicksPipeline()
                .build(
                        env,
                        new PipelineContext(
                                KAFKA.settings(), job, t, conf, OffsetsInitializer.latest()));
        // The model-updates source never ends (hot swaps may come at any time): stop once the
        // clicks are scored.
        JobClient client = env.executeAsync("clicks-minicluster");
        KAFKA.consume(
                t.name(Topics.CLICKS_RECOMMENDATIONS), true, expected, Duration.ofSeconds(90));
        client.cancel().get();
    }

    private static void assertSameRecommendation(Recommendation cluster, Recommendation mini) {
        assertThat(cluster.getUserId()).isEqualTo(mini.getUserId());
        assertThat(cluster.getHistoryLength()).isEqualTo(mini.getHistoryLength());
        assertThat(cluster.getModelName()).isEqualTo(mini.getModelName());
        assertThat(cluster.getModelVersion()).isEqualTo(mini.getModelVersion());
        assertThat(cluster.getTopItems())
                .extracting(ScoredItem::getItemId)
                .containsExactlyElementsOf(
                        mini.getTopItems().stream().map(ScoredItem::getItemId).toList());
        for (int i = 0; i < cluster.getTopItems().size(); i++) {
            assertThat(cluster.getTopItems().get(i).getScore())
                    .isCloseTo(mini.getTopItems().get(i).getScore(), within(1e-5f));
        }
    }

    private ProducerRecord<byte[], byte[]> click(
            Topics t, String user, String eventId, int second) {
        ClickEvent e =
                ClickEvent.newBuilder()
                        .setUserId(user)
                        .setItemId(
                                Integer.toString(
                                        1 + Math.floorMod((user + eventId).hashCode(), ITEMS)))
                        .setEventType(ClickEventType.CLICK)
                        .setEventTime(T0.plusSeconds(second))
                        .setEventId(eventId)
                        .setCandidates(List.of())
                        .build();
        return new ProducerRecord<>(
                t.name(Topics.CLICKS_EVENTS),
                user.getBytes(StandardCharsets.UTF_8),
                clicks.encode(e));
    }

    private static Topics topics(String prefix) {
        Configuration c = new Configuration();
        c.set(AttnstreamOptions.TOPIC_PREFIX, prefix);
        return Topics.from(c);
    }

    private Map<String, Recommendation> byInput(List<ConsumerRecord<byte[], byte[]>> records)
            throws IOException {
        Map<String, Recommendation> out = new HashMap<>();
        for (var r : records) {
            Recommendation rec = recommendations.decode(r.value());
            out.put(input(rec.getLineage()), rec);
        }
        return out;
    }

    /**
     * Everything committed on the topic once at least {@code expected} records are: a second read
     * after the first one reached the count also sees records (duplicates) beyond it.
     */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> first = KAFKA.consume(topic, true, expected, timeout);
        List<ConsumerRecord<byte[], byte[]>> again =
                KAFKA.consume(topic, true, expected + 1, Duration.ofSeconds(8));
        return again.size() >= first.size() ? again : first;
    }

    /**
     * Deletes every record now in the topic (Kafka's DeleteRecords up to each partition's end
     * offset).
     */
    private static void deleteAllRecords(String topic) throws Exception {
        try (Admin admin = Admin.create(KAFKA.settings().clientProperties())) {
            var partitions =
                    admin
                            .describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, o) -> delete.put(tp, RecordsToDelete.beforeOffset(o.offset())));
            admin.deleteRecords(delete).all().get();
            admin.listOffsets(
                            partitions.stream()
                                    .collect(
                                            Collectors.toMap(
                                                    tp -> tp,
                                                    tp ->
                                                            org.apache.kafka.clients.admin
                                                                    .OffsetSpec.earliest())))
                    .all()
                    .get()
                    .forEach(
                            (tp, o) ->
                                    assertThat(o.offset())
                                            .as("first offset of %s after deleting", tp)
                                            .isEqualTo(delete.get(tp).beforeOffset()));
        }
    }

    /**
     * {@code run <pipeline>} against the test broker from the earliest offsets, its topics under
     * {@code prefix}, with these -D options.
     */
    private static List<String> runArgs(
            String pipeline, Path model, String prefix, String... options) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "run",
                                pipeline,
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--model",
                                model.toString(),
                                "-D",
                                "attnstream.kafka.topic-prefix=" + prefix,
                                "-D",
                                "attnstream.job.start-from=earliest"));
        for (String o : options) {
            args.add("-D");
            args.add(o);
        }
        return List.copyOf(args);
    }

    /**
     * The dead letters on the topic (read_committed) by the source position they name. Read after a
     * {@link #readAll} of the job's main output, which waited for late transactions already.
     */
    private static OutputCounts<String> deadLetters(Topics t, int expected) throws IOException {
        AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
        OutputCounts<String> out = new OutputCounts<>();
        for (var r :
                KAFKA.consume(t.name(Topics.DEAD_LETTER), true, expected, Duration.ofSeconds(30))) {
            DeadLetter d = codec.decode(r.value());
            out.add(d.getSourcePartition() + "/" + d.getSourceOffset());
        }
        return out;
    }

    private static String input(Lineage l) {
        return l.getPartition() + "/" + l.getOffset();
    }

    private static String input(RecordMetadata m) {
        return m.partition() + "/" + m.offset();
    }
}
