package io.attnstream.bench;

import static io.attnstream.bench.BenchStats.percentile;
import static io.attnstream.bench.BenchStats.round;

import ai.djl.Device;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.CheckedProducer;
import io.attnstream.platform.EmbeddedKafka;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicReader;
import io.attnstream.platform.Topics;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.traffic.job.TrafficJob;
import io.attnstream.traffic.job.TrafficPipeline;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.model.TrafficTranslator;
import io.attnstream.traffic.model.TrafficWindow;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Measures the traffic job on one machine, against the model's own speed:
 *
 * <ol>
 *   <li>(a) raw: the runtime's workers as tight Predictor loops on ready-made windows of the
 *       network, through the job's translator, at a few batch sizes (in windows); one window is one
 *       interval's readings, so windows/s x N is the most readings/s the machine forecasts without
 *       Flink, Kafka or decoding: the job's anchor;
 *   <li>throughput, Kafka to Kafka on the in-process broker: readings/s the job sustains on a
 *       backlog of one network's readings (all sensors, interval after interval), from the windows
 *       it closes per second in its steady state;
 *   <li>latency: readings paced in real time (one interval per {@code secondsPerInterval} of wall
 *       time), and for each interval the time from the watermark closing it to the last of its
 *       forecasts arriving on Kafka.
 * </ol>
 *
 * Sinks are at-least-once, as in the sequence benchmark: with exactly-once, visibility waits for a
 * checkpoint. Both phases also report CPU microseconds and context switches per reading by thread
 * group over their window (the throughput phase's steady window counts forecasts, one per sensor
 * and interval, so one per reading consumed), and with a profile directory, async-profiler's
 * stacks.
 */
public final class TrafficBenchmark {
    public record Options(
            int sensors,
            int intervals,
            double secondsPerInterval,
            double latencySeconds,
            Path modelDir,
            int parallelism,
            Configuration conf,
            Map<String, String> kafkaProperties,
            Path profileDir) {}

    /**
     * The raw loop's batch sizes in windows: around the job's default of 16 (see DISCUSSION.md).
     */
    private static final int[] RAW_BATCH_WINDOWS = {1, 4, 16, 32};

    private static final double RAW_SECONDS_PER_BATCH_SIZE = 4;

    private static final AvroCodec<TrafficReading> READINGS = AvroCodec.of(TrafficReading.class);
    private static final AvroCodec<TrafficForecast> FORECASTS = AvroCodec.of(TrafficForecast.class);
    private static final long STEP_MILLIS = 300_000L;

    /** Attended sensors published per sensor, in the job and the raw loop alike. */
    private static final int TOP_K = 5;

    private static final Instant START = Instant.parse("2024-03-04T00:00:00Z");

    private final Options o;
    private final PrintStream console;
    private PhaseProfiler profiler;

    public TrafficBenchmark(Options options, PrintStream console) {
        this.o = options;
        this.console = console;
    }

    public Map<String, Object> run() throws Exception {
        DjlEngine.forceOffline(RuntimeSettings.from(o.conf(), "").intraOpThreads());
        profiler = o.profileDir() == null ? null : PhaseProfiler.open(o.profileDir());
        Map<String, Object> report = new LinkedHashMap<>();
        Path modelDir =
                o.modelDir() != null
                        ? o.modelDir()
                        : TrafficModels.writeUntrained(
                                Files.createTempDirectory("attnstream-bench-").resolve("traffic"),
                                "bench-traffic",
                                "1",
                                o.sensors(),
                                12,
                                12,
                                32,
                                2,
                                42);
        ModelSpec spec = ModelStore.readSpec(modelDir);
        List<String> sensors = TrafficPreprocessing.of(spec).sensorIds();
        report.put(
                "model",
                Map.of(
                        "ref",
                        spec.ref(),
                        "hyper_parameters",
                        spec.hyperParameters(),
                        "dir",
                        modelDir.toString()));
        report.put(
                "machine",
                Map.of(
                        "cores",
                        Runtime.getRuntime().availableProcessors(),
                        "max_heap_mib",
                        Runtime.getRuntime().maxMemory() >> 20));
        console.printf(
                "model %s: %d sensors, %s%n", spec.ref(), sensors.size(), spec.hyperParameters());
        RawCeiling.Result raw = rawLoop(modelDir, spec);
        double rawReadings = raw.perSecond() * sensors.size();
        report.put("a_raw", rawReport(raw, sensors.size()));
        try (EmbeddedKafka broker = EmbeddedKafka.start(0)) {
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), o.kafkaProperties());
            Map<String, Object> throughput = throughput(kafka, modelDir, spec, sensors);
            Map<String, Object> latency = latency(kafka, modelDir, spec, sensors);
            report.put("throughput", throughput);
            report.put("latency", latency);
            double ratio = (double) throughput.get("readings_per_second") / rawReadings;
            report.put("ratios", Map.of("throughput_over_raw", round(ratio)));
            new PhaseTable("reading")
                    .add(
                            "(a)",
                            "(a) raw Predictor loops, batch "
                                    + raw.best().batchSize()
                                    + " windows, "
                                    + raw.settings().loops()
                                    + " loop(s)",
                            rawReadings,
                            perReading(raw, sensors.size()))
                    .add(
                            "thr",
                            "throughput: traffic job, " + sensors.size() + " sensors, backlog",
                            (double) throughput.get("readings_per_second"),
                            meters.get("throughput"))
                    .add(
                            "lat",
                            "latency: paced, watermark -> all forecasts",
                            (double) latency.get("readings_per_second"),
                            meters.get("latency"),
                            (double) latency.get("p50_ms"),
                            (double) latency.get("p99_ms"))
                    .print(console);
            console.printf("throughput / raw loop: %.2f%n", ratio);
            console.printf("targets: readings/s >= 50,000 (throughput), p99 < 500 ms (latency)%n");
        }
        return report;
    }

    /**
     * (a) The model alone: the runtime's workers as Predictor loops on copies of one steady window
     * of the network (no missing readings), through the job's translator, so encode and decode of
     * the (T, N) arrays count as in the job.
     */
    private RawCeiling.Result rawLoop(Path modelDir, ModelSpec spec) throws Exception {
        RuntimeSettings rs =
                RuntimeSettings.from(o.conf(), spec.name(), TrafficJob.DEFAULT_MAX_BATCH_WINDOWS);
        RawCeiling.Settings settings =
                new RawCeiling.Settings(
                        rs.workers(), RAW_SECONDS_PER_BATCH_SIZE, 1, RAW_BATCH_WINDOWS, "windows");
        TrafficWindow w = rawWindow(spec);
        try (LoadedModel m = ModelStore.load(modelDir, Device.cpu())) {
            return new RawCeiling<>(
                            m,
                            TrafficTranslator.forModel(spec, TOP_K),
                            b -> Collections.nCopies(b, w),
                            settings)
                    .run(console);
        }
    }

    /** The window the aligner would close after T intervals of {@link #interval} readings. */
    private static TrafficWindow rawWindow(ModelSpec spec) {
        TrafficPreprocessing preprocessing = TrafficPreprocessing.of(spec);
        int n = preprocessing.sensors();
        int t = preprocessing.inputSteps();
        TrafficWindow w = new TrafficWindow();
        w.networkId = "bench-net";
        w.stepSeconds = (int) preprocessing.stepSeconds();
        w.sensors = n;
        w.speeds = new float[t * n]; // (T, N)
        for (int i = 0; i < t; i++) {
            for (int s = 0; s < n; s++) {
                w.speeds[i * n + s] =
                        (float) (55 + 10 * Math.sin(2 * Math.PI * i / 288.0 + s * 0.1));
            }
        }
        w.eventTime = START.toEpochMilli() + (t - 1) * STEP_MILLIS;
        w.closedAt = w.eventTime;
        w.topic = "raw";
        return w;
    }

    /** The raw loop's report, with readings/s (windows/s x N) next to its windows/s. */
    private static Map<String, Object> rawReport(RawCeiling.Result raw, int sensors) {
        Map<String, Object> r = new LinkedHashMap<>(raw.toReport());
        r.put("readings_per_second", round(raw.perSecond() * sensors));
        r.put("cpu_us_per_reading", round(raw.best().cpuMillisPerRequest() * 1000 / sensors));
        return r;
    }

    /** The raw loop's best batch size, per reading: a window's cost over its N readings. */
    private static PerRecord perReading(RawCeiling.Result raw, int sensors) {
        PerRecord w = raw.perRecord();
        Map<String, Double> cpu = new LinkedHashMap<>();
        w.cpuMicrosByGroup().forEach((g, v) -> cpu.put(g, v / sensors));
        Map<String, Double> cs = new LinkedHashMap<>();
        w.contextSwitchesByGroup().forEach((g, v) -> cs.put(g, v / sensors));
        return new PerRecord(
                w.records() * sensors,
                w.seconds(),
                cpu,
                w.cpuMicrosExcludingBroker() / sensors,
                0,
                w.contextSwitches() / sensors,
                w.contextSwitchesExcludingBroker() / sensors,
                cs);
    }

    /** Each phase's window figures, for the closing table. */
    private final Map<String, PerRecord> meters = new HashMap<>();

    private void printWindow(String phase, PhaseMeter meter) {
        PerRecord p = meter.perRecord();
        PerRecord.print(console, phase, p, "reading", false);
        if (p == null) {
            return;
        }
        meters.put(phase, p);
        meter.printProfile(console);
    }

    private Configuration jobConf(String prefix, String startFrom) {
        Configuration c = new Configuration(o.conf());
        c.set(AttnstreamOptions.TOPIC_PREFIX, prefix);
        c.set(AttnstreamOptions.PARALLELISM, o.parallelism());
        c.set(AttnstreamOptions.DELIVERY_GUARANTEE, "at-least-once");
        c.set(AttnstreamOptions.START_FROM, startFrom);
        c.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
        c.set(AttnstreamOptions.DEVICE, "cpu");
        return c;
    }

    private StreamExecutionEnvironment job(
            KafkaSettings kafka,
            Configuration c,
            Path modelDir,
            ModelSpec spec,
            OffsetsInitializer stopAt) {
        BenchJobs b =
                BenchJobs.prepare(
                        kafka,
                        c,
                        TrafficJob.NAME,
                        stopAt,
                        List.of(
                                Topics.TRAFFIC_READINGS,
                                Topics.TRAFFIC_FORECASTS,
                                Topics.TRAFFIC_ATTENTION,
                                Topics.DEAD_LETTER));
        StreamExecutionEnvironment env = b.env();
        PipelineContext ctx = b.context();
        TrafficJob.Settings s =
                new TrafficJob.Settings(
                        spec,
                        modelDir,
                        120f,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofHours(6),
                        TOP_K,
                        c.get(TrafficPipeline.BUFFER_TIMEOUT),
                        RuntimeSettings.from(c, spec.name(), TrafficJob.DEFAULT_MAX_BATCH_WINDOWS));
        TrafficJob.defineWorkflow(
                env,
                ctx.source(Topics.TRAFFIC_READINGS, TrafficJob.readings(s)),
                null,
                s,
                f ->
                        ctx.sink(
                                f,
                                Topics.TRAFFIC_FORECASTS,
                                TrafficForecast.class,
                                TrafficForecast::getSensorId,
                                TrafficPipeline.sinkBatching(c)),
                a ->
                        ctx.sink(
                                a,
                                Topics.TRAFFIC_ATTENTION,
                                TrafficAttention.class,
                                TrafficAttention::getSensorId,
                                TrafficPipeline.sinkBatching(c)),
                ctx::deadLetterSink);
        return env;
    }

    /**
     * Readings of every sensor for interval {@code i}: a daily wave per sensor, event times spread
     * in the interval.
     */
    private static List<ProducerRecord<byte[], byte[]>> interval(
            String topic, List<String> sensors, long i) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(sensors.size());
        long start = START.toEpochMilli() + i * STEP_MILLIS;
        for (int n = 0; n < sensors.size(); n++) {
            float speed = (float) (55 + 10 * Math.sin(2 * Math.PI * i / 288.0 + n * 0.1));
            TrafficReading r =
                    TrafficReading.newBuilder()
                            .setNetworkId("bench-net")
                            .setSensorId(sensors.get(n))
                            .setEventTime(Instant.ofEpochMilli(start + (n * 997L) % 60_000))
                            .setSpeedMph(speed)
                            .build();
            out.add(
                    new ProducerRecord<>(
                            topic,
                            sensors.get(n).getBytes(StandardCharsets.UTF_8),
                            READINGS.encode(r)));
        }
        return out;
    }

    private Map<String, Object> throughput(
            KafkaSettings kafka, Path modelDir, ModelSpec spec, List<String> sensors)
            throws Exception {
        Configuration c = jobConf("bench-t.", "earliest");
        StreamExecutionEnvironment env = job(kafka, c, modelDir, spec, OffsetsInitializer.latest());
        Topics topics = Topics.from(c);
        String in = topics.name(Topics.TRAFFIC_READINGS);
        long readings = (long) o.intervals() * sensors.size();
        try (CheckedProducer producer = CheckedProducer.forBacklog(kafka, "bench-traffic")) {
            for (long i = 0; i < o.intervals(); i++) {
                for (var r : interval(in, sensors, i)) {
                    producer.send(r);
                }
            }
            producer.flushAndCheck();
        }
        console.printf(
                "(throughput) %d readings (%d intervals x %d sensors) queued in Kafka; running the"
                        + " traffic job%n",
                readings, o.intervals(), sensors.size());
        long t0 = System.nanoTime();
        // the first T-1 intervals only warm up
        int windows = o.intervals() - TrafficPreprocessing.of(spec).inputSteps() + 1;
        ThreadCpu cpu = new ThreadCpu();
        PhaseMeter meter = new PhaseMeter("throughput", cpu, profiler);
        try (SteadyWindow w =
                new SteadyWindow(
                        kafka,
                        topics.name(Topics.TRAFFIC_FORECASTS),
                        (long) windows * sensors.size(),
                        meter)) {
            env.execute("bench-traffic-throughput");
        }
        Map<String, Double> cpuSplit = cpu.since();
        double jobSeconds = (System.nanoTime() - t0) / 1e9;
        var out =
                TopicReader.read(
                        kafka,
                        topics.name(Topics.TRAFFIC_FORECASTS),
                        false,
                        windows * sensors.size(),
                        Duration.ofSeconds(120),
                        Duration.ZERO);
        // One window closes per interval of readings: the windows' close times clock the readings
        // consumed.
        Map<Long, Long> closedAtByWindow = new HashMap<>();
        for (var r : out) {
            TrafficForecast f = FORECASTS.decode(r.value());
            closedAtByWindow.put(
                    f.getEventTime().toEpochMilli(), f.getWindowClosedTime().toEpochMilli());
        }
        long[] closed = closedAtByWindow.values().stream().mapToLong(Long::longValue).toArray();
        double rate = BenchStats.steadyRate(closed, sensors.size());
        console.printf(
                "(throughput) %d forecasts for %d windows; %.0f readings/s steady (10th-90th"
                        + " percentile of window closes), job %.1f s including start-up%n",
                out.size(), closed.length, rate, jobSeconds);
        console.printf("(throughput) CPU seconds by thread group: %s%n", cpuSplit);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("readings", readings);
        r.put("windows", closed.length);
        r.put("forecasts", out.size());
        r.put("readings_per_second", round(rate));
        r.put("job_seconds_with_startup", round(jobSeconds));
        r.put("cpu_seconds_by_thread_group", cpuSplit);
        r.put("steady_window", meter.report("reading"));
        printWindow("throughput", meter);
        return r;
    }

    private Map<String, Object> latency(
            KafkaSettings kafka, Path modelDir, ModelSpec spec, List<String> sensors)
            throws Exception {
        Configuration c = jobConf("bench-l.", "latest");
        StreamExecutionEnvironment env = job(kafka, c, modelDir, spec, null);
        Topics topics = Topics.from(c);
        String in = topics.name(Topics.TRAFFIC_READINGS);
        JobClient client = env.executeAsync("bench-traffic-latency");
        Map<Long, long[]> windows =
                new HashMap<>(); // window event time -> {closedAt, last arrival, count}
        AtomicBoolean reading = new AtomicBoolean(true);
        CompletableFuture<Void> reader =
                BenchJobs.inBackground(
                        "reader-traffic",
                        () ->
                                readArrivals(
                                        kafka,
                                        topics.name(Topics.TRAFFIC_FORECASTS),
                                        windows,
                                        reading));
        ThreadCpu cpu = new ThreadCpu();
        PhaseMeter meter = new PhaseMeter("latency", cpu, profiler);
        int warmUp = TrafficPreprocessing.of(spec).inputSteps();
        int intervals = (int) Math.ceil(o.latencySeconds() / o.secondsPerInterval()) + warmUp;
        try {
            Thread.sleep(3_000); // the job's sources find their partitions
            console.printf(
                    "(latency) %d intervals of %d readings, one every %.2f s of wall time (first %d"
                            + " warm up the windows)%n",
                    intervals, sensors.size(), o.secondsPerInterval(), warmUp);
            try (CheckedProducer producer = CheckedProducer.forBacklog(kafka, "bench-traffic-l")) {
                long t0 = System.nanoTime();
                for (long i = 0; i < intervals + 1; i++) {
                    long due = t0 + (long) (i * o.secondsPerInterval() * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (i == warmUp) {
                        meter.start(0); // the windows are warm: the measurement starts
                    }
                    for (var r : interval(in, sensors, i)) {
                        producer.send(r);
                    }
                }
                producer.flushAndCheck();
                meter.end((long) (intervals + 1 - warmUp) * sensors.size());
            }
            Thread.sleep(3_000);
        } finally {
            reading.set(false);
            reader.get(30, TimeUnit.SECONDS);
            client.cancel().get(30, TimeUnit.SECONDS);
            cpu.close();
        }
        List<Long> latencies = new ArrayList<>();
        int complete = 0;
        synchronized (windows) {
            for (long[] w : windows.values()) {
                if (w[2] == sensors.size()) {
                    complete++;
                    latencies.add(w[1] - w[0]);
                }
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("intervals", intervals);
        r.put("seconds_per_interval", o.secondsPerInterval());
        r.put("readings_per_second", round(sensors.size() / o.secondsPerInterval()));
        r.put("windows_complete", complete);
        r.put("p50_ms", percentile(latencies, 0.5));
        r.put("p99_ms", percentile(latencies, 0.99));
        r.put("max_ms", latencies.stream().mapToLong(Long::longValue).max().orElse(-1));
        r.put("window", meter.report("reading"));
        console.printf(
                "(latency) %d windows with all %d forecasts: watermark -> last forecast on Kafka"
                        + " p50 %.0f ms, p99 %.0f ms%n",
                complete, sensors.size(), (double) r.get("p50_ms"), (double) r.get("p99_ms"));
        printWindow("latency", meter);
        return r;
    }

    private static void readArrivals(
            KafkaSettings kafka, String topic, Map<Long, long[]> windows, AtomicBoolean reading) {
        BenchJobs.readArrivals(
                kafka,
                topic,
                reading,
                (value, now) -> {
                    TrafficForecast f = FORECASTS.decode(value);
                    synchronized (windows) {
                        long[] w =
                                windows.computeIfAbsent(
                                        f.getEventTime().toEpochMilli(),
                                        k ->
                                                new long[] {
                                                    f.getWindowClosedTime().toEpochMilli(), 0, 0
                                                });
                        w[1] = Math.max(w[1], now);
                        w[2]++;
                    }
                });
    }
}
