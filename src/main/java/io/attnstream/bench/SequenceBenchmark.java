package io.attnstream.bench;

import static io.attnstream.bench.BenchStats.percentile;
import static io.attnstream.bench.BenchStats.round;

import ai.djl.Device;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.job.ClicksJob;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.clicks.model.SequenceRequest;
import io.attnstream.clicks.model.SequenceScores;
import io.attnstream.clicks.model.SequenceTranslator;
import io.attnstream.inference.BatchingRuntime;
import io.attnstream.inference.DevicePlan;
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
import io.attnstream.platform.KafkaSources;
import io.attnstream.platform.ProducerLoop;
import io.attnstream.platform.TopicReader;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Measures the batching runtime with the sequence model, in one run on one machine:
 *
 * <ol>
 *   <li>(skeleton) the anchor: the clicks job's shape without inference, in Flink's own operators
 *       ({@link SkeletonClicksJob}), with {@code nullModel};
 *   <li>(b-null) the clicks job with the model's null twin ({@link NullModels}): the pipeline
 *       alone, with {@code nullModel};
 *   <li>(a) the raw ceiling: a tight Predictor loop at each batch size; the best one counts;
 *   <li>(b) the clicks job on a local Flink cluster, Kafka to Kafka on the in-process broker,
 *       batched;
 *   <li>(c) the same job scoring one record per forward pass (max-batch-size 1);
 *   <li>(d) end-to-end latency (producer event time to consumer) of (b) at half its peak rate;
 *   <li>optionally, the resident memory of continuous scoring over minutes (native memory
 *       included).
 * </ol>
 *
 * Throughput jobs read a backlog produced beforehand, so they measure the pipeline, not the
 * producer. Each Flink phase also reports, over its steady window ({@link SteadyWindow}; for (d)
 * the counted period), CPU microseconds and context switches per record by thread group, and with a
 * profile directory, async-profiler's stacks ({@link PhaseProfiler}). Sinks are at-least-once here:
 * with exactly-once, visibility waits for checkpoints and latency would measure the checkpoint
 * interval instead of the pipeline.
 */
public final class SequenceBenchmark {
    /**
     * Raw-loop batch sizes unless --batch-sizes gives them. A GPU keeps gaining from batches long
     * after a CPU's rate has flattened, so on GPU the loop tries up to 1,024.
     */
    static final int[] CPU_BATCH_SIZES = {1, 8, 16, 32, 64, 128};

    static final int[] GPU_BATCH_SIZES = {1, 8, 16, 32, 64, 128, 256, 512, 1024};

    /**
     * @param batchSizes raw-loop batch sizes; null for the defaults of the planned device
     */
    public record Options(
            int records,
            int users,
            double secondsPerBatchSize,
            double latencySeconds,
            double soakMinutes,
            int vocabulary,
            int maxLength,
            int modelSize,
            int heads,
            int layers,
            Path modelDir,
            int parallelism,
            int[] batchSizes,
            boolean flink,
            Configuration conf,
            Map<String, String> kafkaProperties,
            boolean nullModel,
            Path profileDir,
            int warmUpRecords) {
        /** Clicks in each untimed warm-up run, the default of {@code --warm-up-records}. */
        public static final int DEFAULT_WARM_UP_RECORDS = 1_500_000;
    }

    private final Options o;
    private final PrintStream console;
    private final Random random = new Random(7);
    private ItemVocabulary vocabulary;
    private long clickCount;

    public SequenceBenchmark(Options options, PrintStream console) {
        this.o = options;
        this.console = console;
    }

    public Map<String, Object> run() throws Exception {
        // Same PyTorch threading in every phase, set before DJL loads.
        RuntimeSettings general = RuntimeSettings.from(o.conf(), "");
        DjlEngine.forceOffline(general.intraOpThreads());
        // A profiler that cannot work here is one line before anything runs, not a failure after
        // minutes.
        profiler = o.profileDir() != null && o.flink() ? PhaseProfiler.open(o.profileDir()) : null;
        // The raw loops run where the jobs' runtimes will: --device, planned as BatchingRuntime
        // plans it.
        DevicePlan plan = DevicePlan.forThisMachine(general.device(), general.workers());
        Map<String, Object> report = new LinkedHashMap<>();
        Path work = Files.createTempDirectory("attnstream-bench-");
        Path modelDir =
                o.modelDir() != null
                        ? o.modelDir()
                        : SequenceModels.writeUntrained(
                                work.resolve("seq"),
                                "bench-seq",
                                "1",
                                o.vocabulary(),
                                o.maxLength(),
                                o.modelSize(),
                                o.heads(),
                                o.layers(),
                                42);
        ModelSpec spec = ModelStore.readSpec(modelDir);
        // Clicks and raw-loop histories draw from the served model's own catalogue (a trained
        // model's ids).
        SequencePreprocessing preprocessing = SequencePreprocessing.of(spec, modelDir);
        vocabulary = preprocessing.vocabulary();
        int t = preprocessing.maxLength();
        report.put(
                "model",
                Map.of(
                        "ref",
                        spec.ref(),
                        "kind",
                        spec.kind(),
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
        report.put(
                "devices",
                Map.of("requested", general.device().toString(), "plan", plan.toString()));
        console.printf("model %s: %s%n", spec.ref(), spec.hyperParameters());
        console.printf("device %s -> %s%n", general.device(), plan);

        RawCeiling.Result rawResult = rawCeiling(modelDir, t, plan);
        Map<String, Object> raw = rawResult.toReport();
        report.put("a_raw_ceiling", raw);
        int bestBatch = (int) raw.get("best_batch_size");
        double ceiling = (double) raw.get("records_per_second");
        // The job runs with the runtime's own max-batch-size (a cap: batches fill only under load).
        // Measured: a cap of 64 beats the raw loop's best size (16) inside the job, because bigger
        // batches also amortise Kafka and Flink costs per record (3.4k vs 2.5-2.8k records/s).
        int jobBatch = RuntimeSettings.from(o.conf(), spec.name()).maxBatchSize();
        if (plan.onGpu()
                && !o.conf().contains(RuntimeSettings.MAX_BATCH_SIZE)
                && !o.conf()
                        .containsKey("attnstream.inference." + spec.name() + ".max-batch-size")) {
            // A GPU's best batch is far above the CPU's default cap of 64 (not measured here: no
            // GPU), so unless a cap is configured the job gets the raw loop's best size (or the
            // default, if larger).
            jobBatch = Math.max(jobBatch, bestBatch);
        }

        if (o.flink()) {
            try (EmbeddedKafka broker = EmbeddedKafka.start(0)) {
                KafkaSettings kafka =
                        new KafkaSettings(broker.bootstrapServers(), o.kafkaProperties());
                PhaseTable table = new PhaseTable("record");
                Map<String, Object> ratios = new LinkedHashMap<>();
                if (profiler != null) {
                    profiler.prime();
                }
                // Each job's backlog runs in seconds: in a JVM that has not run that job yet, much
                // of it is JIT warm-up. The compiler ran at ~0.4 of a core through every phase of a
                // 3-minute run (jstat: 130 s of compile time by minute 2.3), which the raw loop,
                // native code measured first, does not pay. One untimed run of each shape first, so
                // the phases measure a warm JVM, as a job that has run for minutes does; the null
                // model's job warms the clicks job's Flink, Kafka, Avro and DJL code. With the
                // standard stand-in, 1.5 M warm-up clicks cut the compiler's share in (b) from 124
                // to 21 us per record against 300 k (separate runs on a loaded machine; (b)/(a) was
                // 0.86 in the 1.5 M one).
                int warmUp = o.warmUpRecords();
                double skeletonWarm = rate(skeletonThroughput(kafka, t, "warm-up", warmUp, null));
                Path nullDir =
                        NullModels.writeTwin(spec, spec.name() + "-null", work.resolve("null"));
                ModelSpec nullSpec = ModelStore.readSpec(nullDir);
                double nullWarm =
                        rate(
                                flinkThroughput(
                                        kafka,
                                        nullDir,
                                        nullSpec,
                                        "warm-up-job",
                                        jobBatch,
                                        Duration.ofMillis(5),
                                        warmUp,
                                        null));
                if (o.nullModel()) {
                    // Side by side, the anchor and the pipeline alone, under the same background
                    // load.
                    Map<String, Object> skeleton =
                            skeletonThroughput(
                                    kafka,
                                    t,
                                    "skeleton",
                                    backlog(skeletonWarm, "skeleton"),
                                    profiler);
                    Map<String, Object> nullJob =
                            flinkThroughput(
                                    kafka,
                                    nullDir,
                                    nullSpec,
                                    "b-null",
                                    jobBatch,
                                    Duration.ofMillis(5),
                                    backlog(nullWarm, "b-null"),
                                    profiler);
                    report.put("skeleton", skeleton);
                    report.put("b_null_model", nullJob);
                    double sk = (double) skeleton.get("records_per_second");
                    double bn = (double) nullJob.get("records_per_second");
                    ratios.put("b_null_over_skeleton", round(bn / sk));
                    table.add(
                            "skeleton",
                            "skeleton: Flink only, no inference",
                            sk,
                            windows.get("skeleton"));
                    table.add(
                            "b-null", "(b-null) clicks job, null model", bn, windows.get("b-null"));
                }
                table.add(
                        "(a)",
                        "(a) raw Predictor loop, batch " + bestBatch,
                        ceiling,
                        rawResult.perRecord());
                // (b) is at most the pipeline alone and at most the model alone.
                Map<String, Object> batched =
                        flinkThroughput(
                                kafka,
                                modelDir,
                                spec,
                                "b",
                                jobBatch,
                                Duration.ofMillis(5),
                                backlog(Math.min(nullWarm, ceiling), "b"),
                                profiler);
                Map<String, Object> single =
                        flinkThroughput(
                                kafka,
                                modelDir,
                                spec,
                                "c",
                                1,
                                Duration.ZERO,
                                o.records(),
                                profiler);
                report.put("b_flink_batched", batched);
                report.put("c_flink_per_record", single);
                double b = (double) batched.get("records_per_second");
                double c = (double) single.get("records_per_second");
                Map<String, Object> latency = flinkLatency(kafka, modelDir, spec, jobBatch, b / 2);
                report.put("d_latency_at_half_peak", latency);
                ratios.put("b_over_a", round(b / ceiling));
                ratios.put("b_over_c", round(b / c));
                report.put("ratios", ratios);
                table.add("(b)", "(b) clicks job, batching runtime", b, windows.get("b"));
                table.add("(c)", "(c) clicks job, per-record predict", c, windows.get("c"));
                table.add(
                        "(d)",
                        "(d) (b) at half its peak rate, end to end",
                        (double) latency.get("target_rate"),
                        windows.get("d"),
                        (double) latency.get("p50_ms"),
                        (double) latency.get("p99_ms"));
                table.print(console);
                console.printf(
                        "ratios: %s(b)/(a) = %.2f (target >= 0.8), (b)/(c) = %.2f (target >= 3)%n",
                        ratios.containsKey("b_null_over_skeleton")
                                ? String.format(
                                        "(b-null)/skeleton = %.2f (target" + " >= 0.5), ",
                                        (double) ratios.get("b_null_over_skeleton"))
                                : "",
                        b / ceiling,
                        b / c);
            }
        }
        if (o.soakMinutes() > 0) {
            report.put("soak", soak(modelDir, t, bestBatch));
        }
        return report;
    }

    /** Each Flink phase's window figures, by phase, for the closing table. */
    private final Map<String, PerRecord> windows = new HashMap<>();

    private PhaseProfiler profiler;

    // ---------------------------------------------------------------- (a) raw ceiling

    private List<SequenceRequest> randomRequests(int n, int t) {
        List<SequenceRequest> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = 1 + random.nextInt(t);
            int[] h = new int[len];
            for (int j = 0; j < len; j++) {
                h[j] = 1 + random.nextInt(vocabulary.size());
            }
            out.add(new SequenceRequest(h, new int[0]));
        }
        return out;
    }

    /**
     * One tight Predictor loop per inference worker (the runtime's configuration), each with its
     * own predictor, all running at once: the most this machine scores with that configuration,
     * without Flink or Kafka.
     */
    private RawCeiling.Result rawCeiling(Path modelDir, int t, DevicePlan plan) throws Exception {
        int[] sizes =
                o.batchSizes() != null
                        ? o.batchSizes()
                        : plan.onGpu() ? GPU_BATCH_SIZES : CPU_BATCH_SIZES;
        RawCeiling.Settings settings =
                new RawCeiling.Settings(
                        plan.workers().size(), o.secondsPerBatchSize(), 1, sizes, "records");
        // The model once per device, as the runtime loads it; RawCeiling gives loop l the model of
        // worker l.
        List<LoadedModel> models = new ArrayList<>();
        try {
            for (Device d : plan.devices()) {
                models.add(ModelStore.load(modelDir, d));
            }
            return new RawCeiling<>(
                            models,
                            new SequenceTranslator(t, 10),
                            b -> randomRequests(b, t),
                            settings)
                    .run(console);
        } finally {
            models.forEach(LoadedModel::close);
        }
    }

    // ---------------------------------------------------------------- (b), (c) throughput in Flink

    private Configuration jobConf(String prefix, int maxBatch, Duration maxWait, String startFrom) {
        Configuration c = new Configuration(o.conf());
        c.set(AttnstreamOptions.TOPIC_PREFIX, prefix);
        c.set(AttnstreamOptions.PARALLELISM, o.parallelism());
        c.set(AttnstreamOptions.DELIVERY_GUARANTEE, "at-least-once");
        c.set(AttnstreamOptions.START_FROM, startFrom);
        c.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
        c.set(RuntimeSettings.MAX_BATCH_SIZE, maxBatch);
        c.set(RuntimeSettings.MAX_WAIT, maxWait);
        if (!o.conf().contains(RuntimeSettings.ASYNC_CAPACITY)) {
            // Enough in flight per subtask to keep every worker busy while the next batch forms.
            c.set(RuntimeSettings.ASYNC_CAPACITY, Math.max(4 * maxBatch, 64));
        }
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
                        ClicksJob.NAME,
                        stopAt,
                        List.of(
                                Topics.CLICKS_EVENTS,
                                Topics.CLICKS_RECOMMENDATIONS,
                                Topics.CLICKS_ATTENTION,
                                Topics.DEAD_LETTER));
        StreamExecutionEnvironment env = b.env();
        PipelineContext ctx = b.context();
        SequencePreprocessing preprocessing = SequencePreprocessing.of(spec);
        ClicksJob.Settings s =
                new ClicksJob.Settings(
                        spec.name(),
                        modelDir,
                        preprocessing.maxLength(),
                        10,
                        Duration.ofDays(1),
                        RuntimeSettings.from(c, spec.name()));
        ClicksJob.defineWorkflow(
                env,
                ctx.source(Topics.CLICKS_EVENTS, ClicksJob.events()),
                null,
                s,
                recs ->
                        ctx.sink(
                                recs,
                                Topics.CLICKS_RECOMMENDATIONS,
                                Recommendation.class,
                                Recommendation::getUserId),
                att ->
                        ctx.sink(
                                att,
                                Topics.CLICKS_ATTENTION,
                                RecommendationAttention.class,
                                RecommendationAttention::getUserId),
                ctx::deadLetterSink);
        return env;
    }

    private ProducerRecord<byte[], byte[]> click(String topic, long now) {
        String user = "u" + random.nextInt(o.users());
        // Unique ids: the job drops re-delivered events, and random clicks at one timestamp can
        // repeat.
        ClickEvent e =
                ClickEvent.newBuilder()
                        .setUserId(user)
                        .setEventId("b" + clickCount++)
                        .setItemId(vocabulary.idOf(1 + random.nextInt(vocabulary.size())))
                        .setEventType(ClickEventType.VIEW)
                        .setEventTime(Instant.ofEpochMilli(now))
                        .build();
        return new ProducerRecord<>(
                topic, null, now, user.getBytes(StandardCharsets.UTF_8), CLICKS.encode(e));
    }

    private static final AvroCodec<ClickEvent> CLICKS = AvroCodec.of(ClickEvent.class);
    private static final AvroCodec<Recommendation> RECS = AvroCodec.of(Recommendation.class);

    private Map<String, Object> flinkThroughput(
            KafkaSettings kafka,
            Path modelDir,
            ModelSpec spec,
            String phase,
            int maxBatch,
            Duration maxWait,
            int records,
            PhaseProfiler profiler)
            throws Exception {
        Configuration c = jobConf("bench-" + phase + ".", maxBatch, maxWait, "earliest");
        StreamExecutionEnvironment env = job(kafka, c, modelDir, spec, OffsetsInitializer.latest());
        Map<String, Object> r =
                throughput(
                        kafka,
                        c,
                        env,
                        phase,
                        String.format(
                                "the clicks job, model %s (max batch %d,"
                                        + " max wait %d ms, parallelism %d)",
                                spec.ref(), maxBatch, maxWait.toMillis(), o.parallelism()),
                        records,
                        profiler);
        r.put("max_batch_size", maxBatch);
        r.put("max_wait_ms", maxWait.toMillis());
        return r;
    }

    private static double rate(Map<String, Object> throughput) {
        return (double) throughput.get("records_per_second");
    }

    /** {@link PhaseBacklog#size}, said on the console when it is more than {@code --records}. */
    private int backlog(double expectedRate, String phase) {
        int n = PhaseBacklog.size(expectedRate, o.records());
        if (n > o.records()) {
            console.printf(
                    "(%s) %d clicks instead of --records %d: about %d s at the %.0f records/s"
                            + " expected from the warm-up and the raw loop%n",
                    phase, n, o.records(), PhaseBacklog.MIN_SECONDS, expectedRate);
        }
        return n;
    }

    /** The skeleton job on its own topics. */
    private Map<String, Object> skeletonThroughput(
            KafkaSettings kafka, int t, String phase, int records, PhaseProfiler profiler)
            throws Exception {
        Configuration c = jobConf("bench-" + phase + ".", 1, Duration.ZERO, "earliest");
        BenchJobs b =
                BenchJobs.prepare(
                        kafka,
                        c,
                        SkeletonClicksJob.NAME,
                        OffsetsInitializer.latest(),
                        List.of(Topics.CLICKS_EVENTS, Topics.CLICKS_RECOMMENDATIONS));
        PipelineContext ctx = b.context();
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= Math.min(10, vocabulary.size()); i++) {
            items.add(vocabulary.idOf(i));
        }
        SkeletonClicksJob.defineWorkflow(
                b.env(),
                KafkaSources.raw(
                        ctx.kafka(),
                        ctx.job(),
                        List.of(ctx.topics().name(Topics.CLICKS_EVENTS)),
                        ctx.stopAt()),
                t,
                items,
                recs ->
                        ctx.sink(
                                recs,
                                Topics.CLICKS_RECOMMENDATIONS,
                                Recommendation.class,
                                Recommendation::getUserId));
        return throughput(
                kafka,
                c,
                b.env(),
                phase,
                "the skeleton job (no inference, parallelism " + o.parallelism() + ")",
                records,
                profiler);
    }

    /** Queues the backlog, runs the job over it, and measures its outputs and its steady window. */
    private Map<String, Object> throughput(
            KafkaSettings kafka,
            Configuration c,
            StreamExecutionEnvironment env,
            String phase,
            String what,
            int records,
            PhaseProfiler profiler)
            throws Exception {
        String in = Topics.from(c).name(Topics.CLICKS_EVENTS);
        String outTopic = Topics.from(c).name(Topics.CLICKS_RECOMMENDATIONS);
        try (CheckedProducer producer = CheckedProducer.forBacklog(kafka, "bench-" + phase)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < records; i++) {
                producer.send(click(in, now));
            }
            producer.flushAndCheck();
        }
        console.printf("(%s) %d clicks queued in Kafka; running %s%n", phase, records, what);
        long t0 = System.nanoTime();
        ThreadCpu cpu = new ThreadCpu();
        PhaseMeter meter = new PhaseMeter(phase, cpu, profiler);
        try (SteadyWindow window = new SteadyWindow(kafka, outTopic, records, meter)) {
            env.execute("bench-" + phase);
        }
        Map<String, Double> cpuSplit = cpu.since();
        double jobSeconds = (System.nanoTime() - t0) / 1e9;
        List<ConsumerRecord<byte[], byte[]>> out =
                TopicReader.read(
                        kafka, outTopic, false, records, Duration.ofSeconds(60), Duration.ZERO);
        long[] times = new long[out.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = RECS.decode(out.get(i).value()).getProcessingTime().toEpochMilli();
        }
        Arrays.sort(times);
        // Whole run: first to last output (job start-up and model loading excluded, ramp-up
        // included).
        double whole =
                times.length <= 1
                        ? 0
                        : (times.length - 1)
                                * 1000.0
                                / Math.max(1, times[times.length - 1] - times[0]);
        // Steady state: the 10th to the 90th percentile of outputs, as the raw loop excludes its
        // warm-up.
        double rate = BenchStats.steadyRate(times, 1);
        console.printf(
                "(%s) %d recommendations, %.0f records/s steady (10th-90th percentile of outputs),"
                        + " %.0f/s first to last (job %.1f s including start-up)%n",
                phase, out.size(), rate, whole, jobSeconds);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", out.size());
        r.put("records_per_second", round(rate));
        r.put("records_per_second_first_to_last", round(whole));
        r.put("job_seconds_with_startup", round(jobSeconds));
        r.put("cpu_seconds_by_thread_group", cpuSplit);
        r.put("steady_window", meter.report("record"));
        windows.put(phase, meter.perRecord());
        console.printf("(%s) CPU seconds by thread group over the job: %s%n", phase, cpuSplit);
        printWindow(phase, meter);
        return r;
    }

    private void printWindow(String phase, PhaseMeter meter) {
        PerRecord.print(console, phase, meter.perRecord(), "record", false);
        if (meter.perRecord() != null) {
            meter.printProfile(console);
        }
    }

    // ---------------------------------------------------------------- (d) latency at half peak

    private Map<String, Object> flinkLatency(
            KafkaSettings kafka, Path modelDir, ModelSpec spec, int maxBatch, double rate)
            throws Exception {
        Configuration c = jobConf("bench-d.", maxBatch, Duration.ofMillis(5), "latest");
        StreamExecutionEnvironment env = job(kafka, c, modelDir, spec, null);
        Topics topics = Topics.from(c);
        String in = topics.name(Topics.CLICKS_EVENTS);
        JobClient client = env.executeAsync("bench-d");
        List<Long> latencies = new ArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        // Outputs count once the warm-up is over: from the moment the measurement window opens.
        AtomicLong countAfter = new AtomicLong(Long.MAX_VALUE);
        CompletableFuture<Void> reader =
                BenchJobs.inBackground(
                        "reader-d",
                        () ->
                                readLatencies(
                                        kafka,
                                        topics.name(Topics.CLICKS_RECOMMENDATIONS),
                                        latencies,
                                        reading,
                                        countAfter));
        ThreadCpu cpu = new ThreadCpu();
        PhaseMeter meter = new PhaseMeter("d", cpu, profiler);
        try {
            Thread.sleep(3_000); // the job's sources find their partitions
            console.printf(
                    "(d) producing %.0f clicks/s for %.0f s (first 5 s are warm-up and not"
                            + " counted)%n",
                    rate, o.latencySeconds() + 5);
            try (CheckedProducer producer = CheckedProducer.forBacklog(kafka, "bench-d")) {
                new ProducerLoop(producer, now -> Optional.of(click(in, now)), rate)
                        .run(Duration.ofSeconds(5));
                countAfter.set(System.currentTimeMillis());
                meter.start(0);
                long sent =
                        new ProducerLoop(producer, now -> Optional.of(click(in, now)), rate)
                                .run(Duration.ofMillis((long) (o.latencySeconds() * 1000)));
                meter.end(sent);
            }
            Thread.sleep(3_000);
        } finally {
            reading.set(false);
            reader.get(30, TimeUnit.SECONDS);
            client.cancel().get(30, TimeUnit.SECONDS);
            cpu.close();
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target_rate", round(rate));
        r.put("samples", latencies.size());
        r.put("p50_ms", percentile(latencies, 0.5));
        r.put("p99_ms", percentile(latencies, 0.99));
        r.put("max_ms", latencies.stream().mapToLong(Long::longValue).max().orElse(-1));
        r.put("window", meter.report("record"));
        windows.put("d", meter.perRecord());
        console.printf(
                "(d) %d samples at %.0f/s: p50 %d ms, p99 %d ms%n",
                latencies.size(),
                rate,
                (long) percentile(latencies, 0.5),
                (long) percentile(latencies, 0.99));
        printWindow("d", meter);
        return r;
    }

    private static void readLatencies(
            KafkaSettings kafka,
            String topic,
            List<Long> out,
            AtomicBoolean reading,
            AtomicLong countAfter) {
        BenchJobs.readArrivals(
                kafka,
                topic,
                reading,
                (value, now) -> {
                    long eventTime = RECS.decode(value).getEventTime().toEpochMilli();
                    if (eventTime >= countAfter.get()) {
                        synchronized (out) {
                            out.add(now - eventTime);
                        }
                    }
                });
    }

    // ---------------------------------------------------------------- soak

    private Map<String, Object> soak(Path modelDir, int t, int maxBatch) throws Exception {
        RuntimeSettings rs =
                RuntimeSettings.defaults().withBatching(maxBatch, Duration.ofMillis(5));
        rs =
                new RuntimeSettings(
                        rs.maxBatchSize(),
                        rs.maxWait(),
                        rs.workers(),
                        RuntimeSettings.from(o.conf(), "").device(),
                        rs.timeout(),
                        rs.asyncCapacity(),
                        rs.intraOpThreads());
        List<SequenceRequest> pool = randomRequests(4096, t);
        Map<String, Long> samples = new LinkedHashMap<>();
        long scored = 0;
        try (BatchingRuntime<SequenceRequest, SequenceScores> rt =
                new BatchingRuntime<>(
                        ModelStore.readSpec(modelDir).name(),
                        modelDir,
                        rs,
                        new SequenceTranslator(t, 10))) {
            long start = System.nanoTime();
            long end = start + (long) (o.soakMinutes() * 60e9);
            long nextSample = start;
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            int i = 0;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= nextSample) {
                    long secs = (System.nanoTime() - start) / 1_000_000_000L;
                    samples.put(secs + "s", RssSampler.rssMiB());
                    console.printf(
                            "(soak) %4d s: RSS %d MiB, %d scored%n",
                            secs, RssSampler.rssMiB(), scored);
                    nextSample += 30_000_000_000L;
                }
                inFlight.add(rt.submit(pool.get(i++ % pool.size())));
                if (inFlight.size() >= 4 * maxBatch) {
                    for (var f : inFlight) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                    scored += inFlight.size();
                    inFlight.clear();
                }
            }
            samples.put("end", RssSampler.rssMiB());
        }
        List<Long> values = new ArrayList<>(samples.values());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("minutes", o.soakMinutes());
        r.put("records_scored", scored);
        r.put("rss_mib_start", values.get(0));
        r.put("rss_mib_after_first_minute", values.size() > 2 ? values.get(2) : values.get(0));
        r.put("rss_mib_end", values.get(values.size() - 1));
        r.put("rss_mib_samples", samples);
        return r;
    }
}
