package io.attnstream.traffic.job;

import io.attnstream.inference.LegacyStateModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.pipeline.CheckedModel;
import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.SinkBatching;
import io.attnstream.platform.Topics;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.TrafficPreprocessing;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code run traffic}: multi-step speed forecasts per sensor with the spatio-temporal attention
 * model.
 */
public final class TrafficPipeline implements Pipeline {
    public static final ConfigOption<String> MODEL =
            ConfigOptions.key("attnstream.traffic.model")
                    .stringType()
                    .defaultValue("traffic-forecaster")
                    .withDescription(
                            "Model directory, or name[@version] under attnstream.models.root"
                                    + " (latest version without @).");
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("attnstream.traffic.max-out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How far behind the newest reading a reading may arrive and still be in"
                                + " order: the watermark trails the largest event time seen by this"
                                + " much.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("attnstream.traffic.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "An interval closes when the watermark passes its end plus this;"
                                + " readings for a closed interval go to the dead-letter topic as"
                                + " LATE. Larger values wait longer before forecasting.");
    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("attnstream.traffic.source-idleness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "A source split without readings for this long stops holding the"
                                    + " watermark back.");
    public static final ConfigOption<Duration> BUFFER_TIMEOUT =
            ConfigOptions.key("attnstream.traffic.buffer-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(20))
                    .withDescription(
                            "How long the traffic job's operators hold a partly filled network"
                                + " buffer before sending it (Flink's"
                                + " execution.buffer-timeout.interval for this job's edges)."
                                + " Intervals are minutes long, so tens of ms more latency do not"
                                + " matter here, while each 2 ms flush wakes a thread per output: a"
                                + " third of the job's task CPU per reading in bench traffic.");
    public static final ConfigOption<Duration> SINK_LINGER =
            ConfigOptions.key("attnstream.traffic.sink-linger")
                    .durationType()
                    .defaultValue(Duration.ofMillis(20))
                    .withDescription(
                            "linger.ms of the traffic job's forecast and attention producers"
                                + " (unless a Kafka property sets it). An interval is 2 N records"
                                + " at once; 20 ms instead of Kafka's 5 cut the producers' and the"
                                + " broker's CPU per reading by ~40 % in bench traffic, for ~15 ms"
                                + " more p50.");
    public static final ConfigOption<Integer> SINK_BATCH_BYTES =
            ConfigOptions.key("attnstream.traffic.sink-batch-bytes")
                    .intType()
                    .defaultValue(256 * 1024)
                    .withDescription(
                            "batch.size of the traffic job's forecast and attention producers"
                                + " (unless a Kafka property sets it): one interval's records of a"
                                + " partition fit one batch.");
    public static final ConfigOption<Duration> STATE_TTL =
            ConfigOptions.key("attnstream.traffic.state-ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(6))
                    .withDescription(
                            "A network's interval history is dropped after this long without"
                                    + " readings (keyed state TTL).");
    public static final ConfigOption<Integer> ATTENTION_TOP_K =
            ConfigOptions.key("attnstream.traffic.attention-top-k")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Attended sensors published per forecast in traffic.attention (caps the"
                                    + " payload).");
    public static final ConfigOption<Integer> MAX_SENSORS =
            ConfigOptions.key("attnstream.traffic.max-sensors")
                    .intType()
                    .defaultValue(IntervalAligner.Settings.DEFAULT_MAX_SENSORS)
                    .withDescription(
                            "Distinct sensors a network's interval takes readings from; a reading"
                                + " of one more is a dead letter. Any sensor id is taken (kept in"
                                + " the state for a model version that knows it); this bounds the"
                                + " state should a producer send ids without end.");
    public static final ConfigOption<Float> MAX_SPEED =
            ConfigOptions.key("attnstream.traffic.max-speed-mph")
                    .floatType()
                    .defaultValue(120f)
                    .withDescription(
                            "Readings above this speed are sensor faults and go to the dead-letter"
                                    + " topic.");

    @Override
    public String name() {
        return "traffic";
    }

    @Override
    public String jobName() {
        return TrafficJob.NAME;
    }

    @Override
    public List<ConfigOption<String>> inputTopics() {
        return List.of(Topics.TRAFFIC_READINGS, Topics.MODEL_UPDATES);
    }

    @Override
    public List<ConfigOption<String>> outputTopics() {
        return List.of(Topics.TRAFFIC_FORECASTS, Topics.TRAFFIC_ATTENTION);
    }

    @Override
    public Optional<ConfigOption<String>> modelOption() {
        return Optional.of(MODEL);
    }

    @Override
    public Optional<ConfigOption<Integer>> attentionTopKOption() {
        return Optional.of(ATTENTION_TOP_K);
    }

    /**
     * The job's settings from the configuration; loads the model once to check it (one clear error
     * if bad).
     */
    public static TrafficJob.Settings settings(ReadableConfig conf) {
        CheckedModel model = CheckedModel.of(conf, MODEL, TrafficModels.KIND);
        ModelSpec spec = model.spec();
        return new TrafficJob.Settings(
                spec,
                model.dir(),
                conf.get(MAX_SPEED),
                conf.get(MAX_OUT_OF_ORDERNESS),
                conf.get(ALLOWED_LATENESS),
                conf.get(IDLENESS),
                conf.get(STATE_TTL),
                conf.get(ATTENTION_TOP_K),
                conf.get(BUFFER_TIMEOUT),
                RuntimeSettings.from(conf, spec.name(), TrafficJob.DEFAULT_MAX_BATCH_WINDOWS));
    }

    /**
     * The forecast and attention producers' batching (dead letters keep Kafka's defaults: they are
     * few).
     */
    public static SinkBatching sinkBatching(ReadableConfig conf) {
        return new SinkBatching(conf.get(SINK_LINGER), conf.get(SINK_BATCH_BYTES));
    }

    @Override
    public void build(StreamExecutionEnvironment env, PipelineContext ctx) {
        TrafficJob.Settings configured = settings(ctx.config());
        List<String> legacy =
                LegacyStateModel.of(
                                env.getConfiguration(),
                                TrafficJob.NAME,
                                TrafficJob.ALIGN_UID,
                                IntervalAligner.FORMAT_STATE,
                                configured.spec().name(),
                                configured.modelDir())
                        .map(dir -> TrafficPreprocessing.of(ModelStore.readSpec(dir)).sensorIds())
                        .orElse(null);
        TrafficJob.Settings settings = configured.with(ctx.config().get(MAX_SENSORS), legacy);
        SinkBatching batching = sinkBatching(ctx.config());
        TrafficJob.defineWorkflow(
                env,
                ctx.source(Topics.TRAFFIC_READINGS, TrafficJob.readings(settings)),
                ctx.modelUpdatesSource(),
                settings,
                f ->
                        ctx.sink(
                                f,
                                Topics.TRAFFIC_FORECASTS,
                                TrafficForecast.class,
                                TrafficForecast::getSensorId,
                                batching),
                a ->
                        ctx.attentionSink(
                                a,
                                Topics.TRAFFIC_ATTENTION,
                                TrafficAttention.class,
                                TrafficAttention::getSensorId,
                                TrafficAttention::getPredictionId,
                                batching),
                ctx::deadLetterSink);
    }
}
