package io.attnstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.clicks.job.ClicksJob;
import io.attnstream.clicks.job.ClicksPipeline;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.pipeline.AttentionSample;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.schema.ScoredItem;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.ClusterLogsOnFailure;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.StandaloneCluster;
import io.attnstream.traffic.model.TrafficModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
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
            List<String> run =
                    List.of(
                            "run",
                            "clicks",
                            "--bootstrap-servers",
                            KAFKA.bootstrapServers(),
                            "--model",
                            model.toString(),
                            "-D",
                            "attnstream.kafka.topic-prefix=sc.",
                            "-D",
                            "attnstream.clicks.top-k=5",
                            "-D",
                            "attnstream.job.start-from=earliest");

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
            awaitCheckpoint(flink, job);
            FaultRun faults = new FaultRun();
            CompletableFuture<List<RecordMetadata>> produced =
                    CompletableFuture.supplyAsync(() -> produceFaultStream(cluster, faults));
            for (int kill = 0; kill < 2; kill++) {
                Thread.sleep(7_000);
                long restartsBefore = flink.restarts(job);
                long killedAt = System.nanoTime();
                flink.killTaskManager();
                flink.startTaskManager();
                awaitRecovery(flink, job, restartsBefore);
                faults.recoveries.add(Duration.ofNanos(System.nanoTime() - killedAt));
            }
            List<RecordMetadata> sent = produced.get();
            int valid = FAULT_EVENTS - FAULT_EVENTS / MALFORMED_EVERY;
            List<ConsumerRecord<byte[], byte[]>> out =
                    readAll(
                            cluster.name(Topics.CLICKS_RECOMMENDATIONS),
                            60 + valid,
                            Duration.ofSeconds(180));
            Map<String, Integer> outputsPerInput = new HashMap<>();
            Map<String, Recommendation> byUserAndInput = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : out) {
                Recommendation rec = recommendations.decode(r.value());
                outputsPerInput.merge(input(rec.getLineage()), 1, Integer::sum);
                byUserAndInput.put(
                        rec.getUserId()
                                + "@"
                                + rec.getLineage().getPartition()
                                + "/"
                                + String.format("%08d", rec.getLineage().getOffset()),
                        rec);
            }
            int missing = 0;
            for (int i = 0; i < sent.size(); i++) {
                if (!faults.malformed(i) && !outputsPerInput.containsKey(input(sent.get(i)))) {
                    missing++;
                }
            }
            long duplicates =
                    outputsPerInput.values().stream()
                            .filter(n -> n > 1)
                            .mapToLong(n -> n - 1)
                            .sum();
            List<ConsumerRecord<byte[], byte[]>> dead =
                    KAFKA.consume(
                            cluster.name(Topics.DEAD_LETTER),
                            true,
                            FAULT_EVENTS / MALFORMED_EVERY,
                            Duration.ofSeconds(30));
            Map<String, Integer> deadPerInput = new HashMap<>();
            for (var r : dead) {
                DeadLetter d = AvroCodec.of(DeadLetter.class).decode(r.value());
                deadPerInput.merge(
                        d.getSourcePartition() + "/" + d.getSourceOffset(), 1, Integer::sum);
            }
            long restarts = flink.restarts(job);

            assertThat(duplicates).as("duplicate recommendations").isZero();
            assertThat(missing).as("inputs without a recommendation").isZero();
            assertThat(out).hasSize(60 + valid);
            assertThat(deadPerInput)
                    .hasSize(FAULT_EVENTS / MALFORMED_EVERY)
                    .allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
            assertThat(restarts).isGreaterThanOrEqualTo(2);
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
                            + " duplicates=%d missing=%d restarts=%d recoveries=%s"
                            + " longest-recovery=%.1fs state-restored=%d/%d%n",
                    FAULT_EVENTS,
                    valid,
                    FAULT_EVENTS / MALFORMED_EVERY,
                    out.size() - 60,
                    dead.size(),
                    duplicates,
                    missing,
                    restarts,
                    faults.recoveries.stream()
                            .map(d -> String.format("%.1fs", d.toMillis() / 1000.0))
                            .toList(),
                    faults.recoveries.stream().mapToLong(Duration::toMillis).max().orElse(0)
                            / 1000.0,
                    restoredUsers,
                    2 * USERS);
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
                List.of(
                        "run",
                        "traffic",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--model",
                        model.toString(),
                        "-D",
                        "attnstream.kafka.topic-prefix=st.",
                        "-D",
                        "attnstream.job.start-from=earliest",
                        "-D",
                        "attnstream.traffic.source-idleness=5s");
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
            awaitCheckpoint(flink, job);
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

    /** What the fault phase sent: malformed positions and the recoveries measured. */
    private static final class FaultRun {
        final List<Duration> recoveries = new ArrayList<>();

        boolean malformed(int seq) {
            return seq % MALFORMED_EVERY == MALFORMED_EVERY - 1;
        }
    }

    /**
     * FAULT_EVENTS clicks in ~25 s, sequence number in the event id, one in MALFORMED_EVERY without
     * an item.
     */
    private List<RecordMetadata> produceFaultStream(Topics t, FaultRun run) {
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
        List<RecordMetadata> sent = new ArrayList<>();
        try {
            for (int seq = 0; seq < FAULT_EVENTS; seq++) {
                ProducerRecord<byte[], byte[]> r =
                        click(t, "f" + (seq % USERS), "s" + seq, 1_000 + seq);
                if (run.malformed(seq)) {
                    ClickEvent bad = clicks.decode(r.value());
                    bad.setItemId("");
                    r = new ProducerRecord<>(r.topic(), r.key(), clicks.encode(bad));
                }
                batch.add(r);
                if (batch.size() == 48) {
                    sent.addAll(KAFKA.produce(batch));
                    batch.clear();
                    Thread.sleep(1_000);
                }
            }
            sent.addAll(KAFKA.produce(batch));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return sent;
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

    private static String input(Lineage l) {
        return l.getPartition() + "/" + l.getOffset();
    }

    private static String input(RecordMetadata m) {
        return m.partition() + "/" + m.offset();
    }

    private static void awaitCheckpoint(StandaloneCluster flink, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (flink.completedCheckpoints(job) < 1) {
            assertThat(System.nanoTime()).as("a first checkpoint within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Until the job has restarted once more than before and every task runs again. */
    private static void awaitRecovery(StandaloneCluster flink, String job, long restartsBefore)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!(flink.restarts(job) > restartsBefore && flink.fullyRunning(job))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no recovery within 120 s (restarts before the kill "
                                + restartsBefore
                                + ", now "
                                + flink.restarts(job)
                                + ")\n"
                                + flink.diagnosis(job));
            }
            Thread.sleep(200);
        }
    }
}
