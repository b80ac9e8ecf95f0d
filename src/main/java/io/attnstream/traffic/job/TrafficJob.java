package io.attnstream.traffic.job;

import io.attnstream.inference.Inference;
import io.attnstream.inference.InferenceStage;
import io.attnstream.inference.ModelScoring;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.platform.DeadLetterRouter;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Decoded;
import io.attnstream.platform.DecodedWatermarks;
import io.attnstream.platform.DecodingDeserializer;
import io.attnstream.platform.RawRecord;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.traffic.model.TrafficPrediction;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.model.TrafficTranslator;
import io.attnstream.traffic.model.TrafficWindow;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Traffic readings, decoded + validated in the source with per-partition event-time watermarks ->
 * keyBy(network) -> interval aligner (the last T intervals per network, closed by watermark) ->
 * batched inference with the forecaster (ordered: a network's forecasts leave in interval order and
 * switch model version once) -> split by sensor shard -> one forecast + attention per sensor,
 * published by the shard's subtask. Invalid readings, late readings and failed inferences become
 * dead letters.
 */
public final class TrafficJob {
    public static final String NAME = "traffic";

    /** The uid of the operator that keeps the intervals (their savepoint identity). */
    public static final String ALIGN_UID = "traffic-align";

    /**
     * The forecaster's default max-batch-size, in windows (one window = the whole network).
     * Measured with {@code bench traffic} (207 sensors, 2 cores): 16 gave 35k readings/s, 64 only
     * 17k (a batch of 64 windows is 13k sensor sequences and runs far slower per window than 16),
     * 4-8 about 27k.
     */
    public static final int DEFAULT_MAX_BATCH_WINDOWS = 16;

    /**
     * What the job needs to know about its model, its intervals and how to serve the model.
     *
     * @param model the starting version's preprocessing, read once (step, T; its sensors name only
     *     the model, not the state)
     * @param maxSensors distinct sensors per network interval
     * @param legacySensors the sensor order of the model whose index state a restore brings back;
     *     null when none is restored
     */
    public record Settings(
            ModelSpec spec,
            TrafficPreprocessing model,
            Path modelDir,
            float maxSpeedMph,
            Duration maxOutOfOrderness,
            Duration allowedLateness,
            Duration idleness,
            Duration stateTtl,
            int attentionTopK,
            Duration bufferTimeout,
            RuntimeSettings runtime,
            int maxSensors,
            List<String> legacySensors)
            implements Serializable {
        /** At most {@link IntervalAligner.Settings#DEFAULT_MAX_SENSORS}, no index state. */
        public Settings(
                ModelSpec spec,
                TrafficPreprocessing model,
                Path modelDir,
                float maxSpeedMph,
                Duration maxOutOfOrderness,
                Duration allowedLateness,
                Duration idleness,
                Duration stateTtl,
                int attentionTopK,
                Duration bufferTimeout,
                RuntimeSettings runtime) {
            this(
                    spec,
                    model,
                    modelDir,
                    maxSpeedMph,
                    maxOutOfOrderness,
                    allowedLateness,
                    idleness,
                    stateTtl,
                    attentionTopK,
                    bufferTimeout,
                    runtime,
                    IntervalAligner.Settings.DEFAULT_MAX_SENSORS,
                    null);
        }

        /** With the model's preprocessing read from {@code spec}, once. */
        public Settings(
                ModelSpec spec,
                Path modelDir,
                float maxSpeedMph,
                Duration maxOutOfOrderness,
                Duration allowedLateness,
                Duration idleness,
                Duration stateTtl,
                int attentionTopK,
                Duration bufferTimeout,
                RuntimeSettings runtime) {
            this(
                    spec,
                    TrafficPreprocessing.of(spec),
                    modelDir,
                    maxSpeedMph,
                    maxOutOfOrderness,
                    allowedLateness,
                    idleness,
                    stateTtl,
                    attentionTopK,
                    bufferTimeout,
                    runtime);
        }

        public Settings {
            if (attentionTopK < 1) {
                throw new IllegalArgumentException(
                        "attention top-k must be >= 1, got " + attentionTopK);
            }
            if (bufferTimeout.isNegative()) {
                throw new IllegalArgumentException(
                        "buffer timeout must not be negative, got " + bufferTimeout);
            }
        }

        /** These settings with another sensor bound and restored index state's sensor order. */
        public Settings with(int maxSensors, List<String> legacySensors) {
            return new Settings(
                    spec,
                    model,
                    modelDir,
                    maxSpeedMph,
                    maxOutOfOrderness,
                    allowedLateness,
                    idleness,
                    stateTtl,
                    attentionTopK,
                    bufferTimeout,
                    runtime,
                    maxSensors,
                    legacySensors);
        }

        IntervalAligner.Settings aligner() {
            return new IntervalAligner.Settings(
                    Duration.ofSeconds(model.stepSeconds()),
                    model.inputSteps(),
                    allowedLateness,
                    stateTtl,
                    maxSensors,
                    legacySensors);
        }
    }

    private TrafficJob() {}

    /**
     * What the readings source decodes and validates with: a reading must decode and have a
     * plausible speed; any other record becomes a dead letter. Any sensor id is taken: a sensor the
     * serving version does not know is kept in the state for a version that will (and counted as
     * {@code sensorsUnknownToModel} while none does).
     */
    public static DecodingDeserializer<TrafficReading> readings(Settings s) {
        return new DecodingDeserializer<>(
                NAME, TrafficReading.class, new TrafficReadingValidator(s.maxSpeedMph(), null));
    }

    /**
     * Event-time watermarks from the readings' own {@code event_time}, assigned in the source and
     * so per Kafka partition: the Kafka timestamp is when the record was produced, which for a
     * replay or a buffering gateway can be far from when the speed was measured, and a partition
     * that is behind holds the watermark back instead of its readings turning late. Rejected
     * records do not move it (see {@link DecodedWatermarks}).
     */
    static WatermarkStrategy<Decoded<TrafficReading>> watermarks(
            Duration maxOutOfOrderness, Duration idleness) {
        return DecodedWatermarks.of(
                WatermarkStrategy.<TrafficReading>forBoundedOutOfOrderness(maxOutOfOrderness)
                        .withTimestampAssigner(
                                (r, kafkaTimestamp) -> r.getEventTime().toEpochMilli())
                        .withIdleness(idleness));
    }

    /**
     * @param readingsSource a source decoding with {@link #readings(Settings)}
     * @param updates null for a job without hot-swap
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<Decoded<TrafficReading>, ?, ?> readingsSource,
            Source<RawRecord, ?, ?> updates,
            Settings s,
            Consumer<DataStream<TrafficForecast>> forecasts,
            Consumer<DataStream<TrafficAttention>> attention,
            Consumer<DataStream<DeadLetter>> deadLetters) {
        SingleOutputStreamOperator<Sourced<TrafficReading>> readings =
                DeadLetterRouter.fromSource(
                                env,
                                readingsSource,
                                watermarks(s.maxOutOfOrderness(), s.idleness()),
                                "traffic-readings-source",
                                "traffic-dead-letter-route",
                                TrafficReading.class)
                        .setBufferTimeout(s.bufferTimeout().toMillis());

        SingleOutputStreamOperator<TrafficWindow> windows =
                readings.keyBy(r -> r.value.getNetworkId())
                        .process(new IntervalAligner(NAME, s.aligner()))
                        .returns(TrafficWindow.typeInfo())
                        .uid(ALIGN_UID)
                        // chained to inference; its late readings and dead letters leave through
                        // relays (DeadLetters)
                        .name("align intervals (last " + s.model().inputSteps() + " per network)");

        TypeInformation<Inference<TrafficWindow, TrafficPrediction>> scoredType =
                Inference.typeInfo(
                        TrafficWindow.typeInfo(), TypeInformation.of(TrafficPrediction.class));
        // Ordered, and no second keyBy: the aligner's output is partitioned by network already, so
        // a network's forecasts keep interval order through the forward connection.
        var scored =
                InferenceStage.score(
                        windows,
                        new ModelScoring<>(
                                s.spec().name(),
                                s.modelDir(),
                                s.runtime(),
                                TrafficTranslator.factory(s.attentionTopK()),
                                w -> w),
                        scoredType,
                        "traffic-inference");
        var ok =
                InferenceStage.outcomes(
                        scored, TrafficJob::failedWindow, "traffic-inference-outcomes");

        // Each subtask publishes a share of the sensors; shard s carries a key that Flink's key
        // groups send to subtask s (one to one while both operators have the job's parallelism), so
        // each sensor's data is sent once, over one ordered channel. A keyBy and not
        // partitionCustom: Flink refuses unaligned checkpoints on a custom partitioning, and this
        // job, like the others, checkpoints unaligned.
        SingleOutputStreamOperator<ForecastShard> shards =
                ok.process(new ForecastSharder())
                        .returns(ForecastShard.typeInfo())
                        .uid("traffic-shard")
                        .name("split forecast by sensor shard")
                        .setBufferTimeout(s.bufferTimeout().toMillis());
        SingleOutputStreamOperator<TrafficForecast> out =
                shards.keyBy(f -> f.key, Types.INT)
                        .process(new ForecastAssembler())
                        .returns(new AvroTypeInfo<>(TrafficForecast.class))
                        .uid("traffic-assemble")
                        .name("assemble forecast + attention per sensor");

        forecasts.accept(out);
        attention.accept(out.getSideOutput(ForecastAssembler.ATTENTION));
        DataStream<DeadLetter> dead =
                DeadLetters.outOf(readings)
                        .union(
                                DeadLetters.outOf(windows),
                                DeadLetters.outOf(windows, IntervalAligner.LATE),
                                DeadLetters.outOf(ok));
        if (updates != null) {
            dead = dead.union(InferenceStage.modelUpdates(env, updates, NAME));
        }
        deadLetters.accept(dead);
    }

    /**
     * A window whose inference failed: there is no single input record, so the dead letter names
     * the window.
     */
    private static DeadLetter failedWindow(TrafficWindow w, FailureStage stage, String reason) {
        return DeadLetter.newBuilder()
                .setJob(NAME)
                .setStage(stage)
                .setReason(
                        "network "
                                + w.networkId
                                + ", window ending "
                                + Instant.ofEpochMilli(w.eventTime)
                                + ": "
                                + reason)
                .setErrorClass(null)
                .setSourceTopic(w.topic)
                .setSourcePartition(w.partition)
                .setSourceOffset(w.offset)
                .setSourceTimestamp(null)
                .setKey(null)
                .setPayload(null)
                .setFailedAt(Instant.now())
                .build();
    }
}
