package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.DecodeFunction;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSinks;
import io.attnstream.platform.KafkaSources;
import io.attnstream.platform.PredictionIds;
import io.attnstream.platform.RecordValidator;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.ModelUpdate;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.AffineModels;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.TrafficFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching runtime inside a Flink job (MiniCluster, parallelism 2, in-process Kafka): a model
 * update arrives on the updates topic while records stream through; a poison record fails its
 * request only.
 */
class InferenceJobIT extends FlinkKafkaTestBase {

    private static final String JOB = "inference-it";
    private static final int N = 2000;
    private static final int SENSORS = 8;
    private static final float POISON = 13f;

    @Test
    void hotSwapUnderLoadLosesNothingSwitchesOncePerKeyAndAPoisonRecordBecomesADeadLetter(
            @TempDir Path models) throws Exception {
        AffineModels.register();
        Path v1 = AffineModels.write(models, "aff", "1", 1f, 0f);
        Path v2 = AffineModels.write(models, "aff", "2", 2f, 0f);
        Path v0 = AffineModels.write(models, "aff", "0", 5f, 0f);
        KAFKA.createTopics(2, "inf.in", "inf.out", "inf.dead", "inf.updates");
        // An update from before this job existed: a fresh start must not replay it (it would
        // downgrade to v0).
        KAFKA.produce(
                List.of(
                        new ProducerRecord<>(
                                "inf.updates",
                                "aff".getBytes(),
                                AvroCodec.of(ModelUpdate.class)
                                        .encode(
                                                ModelUpdate.newBuilder()
                                                        .setModelName("aff")
                                                        .setModelVersion("0")
                                                        .setLocation(v0.toString())
                                                        .setIssuedAt(Instant.now())
                                                        .build()))));

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            TrafficReading r =
                    TrafficFixtures.reading("s" + (i % SENSORS), i / SENSORS, (i % 90) + 0.5f);
            records.add(
                    new ProducerRecord<>(
                            "inf.in",
                            r.getSensorId().getBytes(StandardCharsets.UTF_8),
                            TrafficFixtures.bytes(r)));
        }
        TrafficReading poison = TrafficFixtures.reading("s3", 9999, POISON);
        records.add(
                N / 4,
                new ProducerRecord<>(
                        "inf.in",
                        "s3".getBytes(StandardCharsets.UTF_8),
                        TrafficFixtures.bytes(poison)));
        List<RecordMetadata> meta = KAFKA.produce(records);
        String poisonCoord = meta.get(N / 4).partition() + "@" + meta.get(N / 4).offset();

        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(AttnstreamOptions.PARALLELISM, 2);
        conf.set(AttnstreamOptions.START_FROM, "earliest");
        JobSettings job = JobSettings.from(JOB, conf);
        StreamExecutionEnvironment env = FlinkEnvironments.ambient(job, conf);
        // Slow batches (20 ms for at most 4 requests: ~10 s for the stream) so the update lands
        // mid-way.
        RuntimeSettings rs =
                RuntimeSettings.defaults().withBatching(4, Duration.ofMillis(1)).withWorkers(1);

        DataStream<Sourced<TrafficReading>> readings =
                env.fromSource(
                                KafkaSources.raw(KAFKA.settings(), job, List.of("inf.in"), null),
                                WatermarkStrategy.noWatermarks(),
                                "in")
                        .uid("in")
                        .process(
                                new DecodeFunction<>(
                                        JOB, TrafficReading.class, RecordValidator.acceptAll()))
                        .returns(Sourced.typeInfo(TrafficReading.class))
                        .uid("decode");
        var scored =
                InferenceStage.score(
                        readings.keyBy(r -> r.value.getSensorId()),
                        new ModelScoring<Sourced<TrafficReading>, Float, Float>(
                                "aff",
                                v1,
                                rs,
                                new AffineModels.Translator(POISON, 20),
                                r -> r.value.getSpeedMph()),
                        Inference.typeInfo(Sourced.typeInfo(TrafficReading.class), Types.FLOAT),
                        "score");
        var ok =
                InferenceStage.outcomes(
                        scored,
                        InferenceOutcomes.forSourced(JOB, TrafficReading.class),
                        "outcomes");
        ok.map(new CheckpointsUnderLoad())
                .returns(ok.getType())
                .uid("checkpoints")
                .map(InferenceJobIT::forecast)
                .returns(new AvroTypeInfo<>(TrafficForecast.class))
                .uid("assemble")
                .sinkTo(
                        KafkaSinks.exactlyOnce(
                                KAFKA.settings(),
                                job,
                                "inf.out",
                                TrafficForecast.class,
                                TrafficForecast::getSensorId))
                .uid("sink-out");
        DataStream<DeadLetter> dead =
                ok.getSideOutput(DeadLetters.TAG)
                        .union(
                                InferenceStage.modelUpdates(
                                        env,
                                        KafkaSources.modelUpdates(
                                                KAFKA.settings(), job, "inf.updates"),
                                        JOB));
        dead.sinkTo(
                        KafkaSinks.exactlyOnce(
                                KAFKA.settings(),
                                job,
                                "inf.dead",
                                DeadLetter.class,
                                DeadLetter::getSourceTopic))
                .uid("sink-dead");

        JobClient client = env.executeAsync("inference-it");
        try {
            // Let a share of the stream be scored by version 1, then publish version 2 (and a bad
            // update).
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (completed() < N / 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(completed()).isBetween((long) N / 10, (long) N / 2);
            AvroCodec<ModelUpdate> updates = AvroCodec.of(ModelUpdate.class);
            ModelUpdate bad =
                    ModelUpdate.newBuilder()
                            .setModelName("aff")
                            .setModelVersion("3")
                            .setLocation(models.resolve("aff/3").toString())
                            .setIssuedAt(Instant.now())
                            .build();
            ModelUpdate good =
                    ModelUpdate.newBuilder()
                            .setModelName("aff")
                            .setModelVersion("2")
                            .setLocation(v2.toUri().toString())
                            .setIssuedAt(Instant.now())
                            .build();
            KAFKA.produce(
                    List.of(
                            new ProducerRecord<>(
                                    "inf.updates", "aff".getBytes(), updates.encode(bad)),
                            new ProducerRecord<>(
                                    "inf.updates", "aff".getBytes(), updates.encode(good))));

            List<ConsumerRecord<byte[], byte[]>> out =
                    KAFKA.consume("inf.out", true, N, Duration.ofSeconds(120));
            List<ConsumerRecord<byte[], byte[]>> deadLetters =
                    KAFKA.consume("inf.dead", true, 2, Duration.ofSeconds(30));

            AvroCodec<TrafficForecast> codec = AvroCodec.of(TrafficForecast.class);
            Map<String, TreeMap<Long, TrafficForecast>> bySensor = new HashMap<>();
            Set<String> coords = new HashSet<>();
            for (var rec : out) {
                TrafficForecast f = codec.decode(rec.value());
                String coord = f.getLineage().getPartition() + "@" + f.getLineage().getOffset();
                assertThat(coords.add(coord)).as("scored twice: %s", coord).isTrue();
                bySensor.computeIfAbsent(f.getSensorId(), k -> new TreeMap<>())
                        .put(f.getLineage().getOffset(), f);
            }
            assertThat(out).hasSize(N);
            assertThat(coords).doesNotContain(poisonCoord);
            int versionTwo = 0;
            assertThat(bySensor.values().stream().flatMap(m -> m.values().stream()))
                    .as("no output from the update published before the job started")
                    .noneMatch(f -> f.getModelVersion().equals("0"));
            for (var e : bySensor.entrySet()) {
                String previous = "1";
                int switches = 0;
                for (TrafficForecast f : e.getValue().values()) {
                    float w = f.getModelVersion().equals("1") ? 1f : 2f;
                    float input = f.getSpeedsMph().get(1); // [0] = prediction, [1] = input speed
                    assertThat(f.getSpeedsMph().get(0)).isEqualTo(w * input);
                    if (!f.getModelVersion().equals(previous)) {
                        switches++;
                        assertThat(f.getModelVersion())
                                .as("sensor %s went back to an old version", e.getKey())
                                .isEqualTo("2");
                    }
                    previous = f.getModelVersion();
                    versionTwo += f.getModelVersion().equals("2") ? 1 : 0;
                }
                assertThat(switches).as("switches of sensor %s", e.getKey()).isLessThanOrEqualTo(1);
            }
            assertThat(versionTwo).as("outputs of version 2").isBetween(N / 4, N - N / 10);
            // The inference operator held a full capacity of records the whole time (the model is
            // slow); checkpoints still completed while most of the stream was unscored, not only
            // once the backlog was gone.
            assertThat(CheckpointsUnderLoad.SCORED_AT_COMPLETION)
                    .as("runtime progress at each completed checkpoint")
                    .anyMatch(progress -> progress < N / 2);

            AvroCodec<DeadLetter> dl = AvroCodec.of(DeadLetter.class);
            List<DeadLetter> letters = new ArrayList<>();
            for (var rec : deadLetters) {
                letters.add(dl.decode(rec.value()));
            }
            letters.sort(Comparator.comparing(DeadLetter::getStage));
            assertThat(letters).hasSize(2);
            DeadLetter inference =
                    letters.stream()
                            .filter(d -> d.getStage() == FailureStage.INFERENCE)
                            .findFirst()
                            .orElseThrow();
            assertThat(inference.getSourcePartition() + "@" + inference.getSourceOffset())
                    .isEqualTo(poisonCoord);
            assertThat(inference.getReason()).contains("poison value 13.0").contains("aff@");
            DeadLetter update =
                    letters.stream()
                            .filter(d -> d.getStage() == FailureStage.MODEL_UPDATE)
                            .findFirst()
                            .orElseThrow();
            assertThat(update.getSourceTopic()).isEqualTo("inf.updates");
            assertThat(update.getReason()).contains("aff@3 rejected").contains("has no model.json");
        } finally {
            client.cancel().get();
        }
    }

    /**
     * Notes how far scoring had got whenever a checkpoint completes (the MiniCluster runs in this
     * JVM).
     */
    static final class CheckpointsUnderLoad
            extends RichMapFunction<
                    Inference<Sourced<TrafficReading>, Float>,
                    Inference<Sourced<TrafficReading>, Float>>
            implements CheckpointListener {
        static final List<Long> SCORED_AT_COMPLETION = new CopyOnWriteArrayList<>();

        @Override
        public Inference<Sourced<TrafficReading>, Float> map(
                Inference<Sourced<TrafficReading>, Float> value) {
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            SCORED_AT_COMPLETION.add(completed());
        }
    }

    /** Requests the model's runtime (shared by both subtasks in this JVM) has scored so far. */
    private static long completed() {
        return RuntimeRegistry.find("aff").stream()
                .mapToLong(rt -> rt.stats().completed.get())
                .sum();
    }

    /** The test's output: the prediction and, for checking, the input it was made from. */
    private static TrafficForecast forecast(Inference<Sourced<TrafficReading>, Float> i) {
        TrafficReading r = i.input.value;
        return TrafficForecast.newBuilder()
                .setPredictionId(
                        PredictionIds.of(i.modelName, i.modelVersion, i.input.lineage(), ""))
                .setModelName(i.modelName)
                .setModelVersion(i.modelVersion)
                .setNetworkId(r.getNetworkId())
                .setSensorId(r.getSensorId())
                .setEventTime(r.getEventTime())
                .setProcessingTime(Instant.now())
                .setLineage(i.input.lineage())
                .setStepSeconds(300)
                .setSpeedsMph(List.of(i.output, r.getSpeedMph()))
                .build();
    }
}
