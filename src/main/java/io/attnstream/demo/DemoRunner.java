package io.attnstream.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.CheckedProducer;
import io.attnstream.platform.EmbeddedKafka;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.ProducerLoop;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.Topics;
import io.attnstream.schema.DeadLetter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything on one machine: an embedded Kafka broker (unless a real one is given), the topics, the
 * pipelines on a local Flink MiniCluster with the web UI, simulators producing their inputs, and a
 * read_committed monitor of the outputs. Prints a status line per pipeline while it runs and writes
 * {@code summary.json} at the end.
 */
public final class DemoRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

    /**
     * @param warmUp the summary's latency counts only outputs whose input came this long after the
     *     producers started: before that it measures model loading, JIT compilation and the first
     *     checkpoint
     */
    public record Options(
            Duration duration,
            Path outDir,
            double ratePerPipeline,
            int kafkaPort,
            KafkaSettings externalKafka,
            Configuration conf,
            Duration statusEvery,
            Duration warmUp) {}

    private final Options options;
    private final Function<Topics, List<DemoPipeline>> pipelines;
    private final PrintStream console;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * How long task deployment, model loading and the first checkpoint may take before the
     * producers start.
     */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private double producersStartedAfter = -1;
    private Duration checkpointInterval;
    private boolean unaligned;

    public DemoRunner(
            Options options, Function<Topics, List<DemoPipeline>> pipelines, PrintStream console) {
        this.options = options;
        this.pipelines = pipelines;
        this.console = console;
    }

    /**
     * Asks a running demo to stop (Ctrl-C); it then drains, cancels the job and writes the summary.
     */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Waits until {@link #run()} has finished its clean-up. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Map<String, Object> run() throws Exception {
        long startNanos = System.nanoTime();
        Instant startedAt = Instant.now();
        Configuration conf = demoDefaults(options.conf());
        checkpointInterval = conf.get(AttnstreamOptions.CHECKPOINT_INTERVAL);
        EmbeddedKafka embedded = null;
        JobClient job = null;
        List<Thread> producerThreads = new ArrayList<>();
        List<ProducerLoop> loops = new ArrayList<>();
        List<CheckedProducer> producers = new ArrayList<>();
        OutputMonitor monitor = null;
        Thread monitorThread = null;
        try {
            KafkaSettings kafka;
            if (options.externalKafka() != null) {
                kafka = options.externalKafka();
            } else {
                embedded = EmbeddedKafka.start(options.kafkaPort());
                kafka = embedded.settings();
            }
            console.println(
                    "Kafka:     "
                            + kafka.bootstrapServers()
                            + (embedded != null ? " (embedded KRaft broker)" : ""));
            Topics topics = Topics.from(conf);
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensureTopics(
                        topics.all(),
                        conf.get(AttnstreamOptions.TOPIC_PARTITIONS),
                        conf.get(AttnstreamOptions.TOPIC_REPLICATION).shortValue(),
                        Duration.ofSeconds(60));
            }
            List<DemoPipeline> demo = pipelines.apply(topics);

            // One Flink job holds every pipeline; each pipeline keeps its own transactional-id
            // prefix.
            JobSettings first = JobSettings.from(demo.get(0).pipeline().jobName(), conf);
            StreamExecutionEnvironment env = FlinkEnvironments.local(first, conf);
            for (DemoPipeline d : demo) {
                JobSettings js = JobSettings.from(d.pipeline().jobName(), conf);
                d.pipeline().build(env, new PipelineContext(kafka, js, topics, conf, null));
            }
            // What the job runs with (the jobs' unaligned default unless -D sets it), for the
            // summary.
            unaligned = env.getConfiguration().get(CheckpointingOptions.ENABLE_UNALIGNED);
            String webUi = "http://127.0.0.1:" + env.getConfiguration().get(RestOptions.BIND_PORT);

            // Stats per topic; the monitor starts before producers so it sees every output.
            Map<String, TopicStats> stats = new LinkedHashMap<>();
            Map<String, OutputMonitor.Observer> observers = new LinkedHashMap<>();
            for (DemoPipeline d : demo) {
                stats.put(d.inputTopic(), new TopicStats(d.inputTopic(), "in"));
                d.outputs()
                        .forEach(
                                (t, o) -> {
                                    stats.put(t, new TopicStats(t, "out"));
                                    observers.put(t, o);
                                });
            }
            String deadLetterTopic = topics.name(Topics.DEAD_LETTER);
            stats.put(deadLetterTopic, new TopicStats(deadLetterTopic, "dead-letter"));
            observers.put(deadLetterTopic, deadLetterObserver());
            monitor = new OutputMonitor(kafka, observers, stats);
            monitorThread = new Thread(monitor, "demo-monitor");
            monitorThread.setDaemon(true);
            monitorThread.start();

            job = env.executeAsync("attnstream-demo");
            console.println("Flink:     job " + job.getJobID() + ", web UI " + webUi);
            JobProbe probe = new JobProbe(webUi, job.getJobID().toString());
            awaitReady(probe, job, startNanos);
            producersStartedAfter = elapsed(startNanos);
            console.println(
                    "Running "
                            + (options.duration() == null
                                    ? "until Ctrl-C"
                                    : "for " + options.duration().toSeconds() + " s")
                            + "; status every "
                            + options.statusEvery().toSeconds()
                            + " s.");

            long countFrom = System.currentTimeMillis() + options.warmUp().toMillis();
            stats.values().forEach(t -> t.countLatencyFrom(countFrom));
            console.println(
                    "Latency:   status lines: outputs of the last "
                            + options.statusEvery().toSeconds()
                            + " s; summary.json: "
                            + countedDescription());
            for (DemoPipeline d : demo) {
                CheckedProducer producer =
                        new CheckedProducer(kafka, "attnstream-demo-" + d.pipeline().name());
                ProducerLoop loop =
                        new ProducerLoop(producer, d.generator(), options.ratePerPipeline());
                producers.add(producer);
                loops.add(loop);
                Thread t =
                        new Thread(
                                () -> {
                                    try {
                                        loop.run(null);
                                    } catch (RuntimeException e) {
                                        LOG.error(
                                                "Producer for {} failed: {}",
                                                d.pipeline().name(),
                                                e.getMessage());
                                    }
                                },
                                "demo-producer-" + d.pipeline().name());
                t.setDaemon(true);
                t.start();
                producerThreads.add(t);
            }

            StatusPrinter status =
                    new StatusPrinter(console, demo, stats, deadLetterTopic, producers);
            long deadline =
                    options.duration() == null
                            ? Long.MAX_VALUE
                            : System.nanoTime() + options.duration().toNanos();
            while (System.nanoTime() < deadline) {
                long wait =
                        Math.min(
                                options.statusEvery().toMillis(),
                                Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (stopRequested.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
                status.print(elapsed(startNanos));
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException(
                            "the Flink job stopped: " + job.getJobStatus().get());
                }
            }

            // Stop producing, then give the last checkpoint(s) time to commit what is in flight.
            loops.forEach(ProducerLoop::stop);
            for (Thread t : producerThreads) {
                t.join(15_000);
            }
            long produced = producers.stream().mapToLong(CheckedProducer::acked).sum();
            long drainUntil =
                    System.nanoTime()
                            + conf.get(AttnstreamOptions.CHECKPOINT_INTERVAL)
                                    .multipliedBy(3)
                                    .plusSeconds(10)
                                    .toNanos();
            while (System.nanoTime() < drainUntil
                    && processed(demo, stats, deadLetterTopic) < produced) {
                Thread.sleep(200);
            }
            status.print(elapsed(startNanos));
            return summarize(
                    startedAt,
                    startNanos,
                    kafka,
                    embedded != null,
                    webUi,
                    job,
                    probe,
                    demo,
                    stats,
                    producers);
        } finally {
            loops.forEach(ProducerLoop::stop);
            if (job != null) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.debug("Cancel: {}", e.toString());
                }
            }
            if (monitor != null) {
                monitor.stop();
                monitorThread.join(5_000);
            }
            producers.forEach(CheckedProducer::close);
            if (embedded != null) {
                embedded.close();
            }
            finished.countDown();
        }
    }

    /**
     * The demo's job settings where {@code -D} does not set them; latency here is what a
     * read_committed consumer sees, so checkpoints, not the 2 ms network buffer timeout of
     * attnstream's jobs, set it.
     */
    static Configuration demoDefaults(Configuration given) {
        Configuration conf = new Configuration(given);
        // Exactly-once output becomes visible at checkpoint completion: outputs wait half an
        // interval on average and a whole one at worst. Measured on 2 cores: 2 s gave a steady p99
        // of 2.6-3.5 s for clicks, 1 s 1.5-2.5 s.
        setIfAbsent(conf, AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
        // Checkpoints stay unaligned (the jobs' default, FlinkEnvironments): all pipelines are one
        // job with one checkpoint, and aligned barriers would queue behind whichever pipeline is
        // back-pressured (video, while its model warms up), holding back every pipeline's
        // exactly-once output. Each task's output flusher wakes every buffer timeout: at 2 ms, ~30
        // tasks' flushers took
        // 0.3 of the
        // 2 cores (per-thread CPU over 40 s); at 20 ms 0.07, while 20 ms per hop is small next to
        // checkpoints.
        setIfAbsent(conf, ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(20));
        return conf;
    }

    private static <T> void setIfAbsent(Configuration conf, ConfigOption<T> option, T value) {
        if (!conf.contains(option)) {
            conf.set(option, value);
        }
    }

    /**
     * Waits until the job has completed a checkpoint (see {@link JobProbe#ready()}), so that the
     * producers' first records do not queue up behind task deployment, model loading and the first,
     * slow checkpoints.
     */
    private void awaitReady(JobProbe probe, JobClient job, long startNanos) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && stopRequested.getCount() > 0) {
            try {
                if (probe.ready()) {
                    console.printf(
                            "Flink:     ready (first checkpoint completed) %.1f s after start;"
                                    + " producers start now%n",
                            elapsed(startNanos));
                    return;
                }
            } catch (IOException e) {
                LOG.debug("Job probe: {}", e.toString());
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "the Flink job stopped: " + job.getJobStatus().get());
            }
            Thread.sleep(200);
        }
        console.println(
                "Flink:     no checkpoint completed within "
                        + READY_TIMEOUT.toSeconds()
                        + " s; producers start anyway");
    }

    /**
     * Inputs accounted for: each input yields one output on the pipeline's first output topic or a
     * dead letter.
     */
    private static long processed(
            List<DemoPipeline> demo, Map<String, TopicStats> stats, String deadLetterTopic) {
        long n = stats.get(deadLetterTopic).records();
        for (DemoPipeline d : demo) {
            n += stats.get(d.outputs().keySet().iterator().next()).records();
        }
        return n;
    }

    private static OutputMonitor.Observer deadLetterObserver() {
        AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
        return bytes -> {
            try {
                DeadLetter d = codec.decode(bytes);
                // From the failure to its visibility: a source timestamp can be simulated or
                // replayed event time.
                return new OutputMonitor.Observation(
                        d.getFailedAt().toEpochMilli(), d.getStage().name());
            } catch (IOException e) {
                return null;
            }
        };
    }

    private Map<String, Object> summarize(
            Instant startedAt,
            long startNanos,
            KafkaSettings kafka,
            boolean embedded,
            String webUi,
            JobClient job,
            JobProbe probe,
            List<DemoPipeline> demo,
            Map<String, TopicStats> stats,
            List<CheckedProducer> producers)
            throws IOException, InterruptedException {
        double seconds = elapsed(startNanos);
        for (int i = 0; i < demo.size(); i++) {
            CheckedProducer p = producers.get(i);
            stats.get(demo.get(i).inputTopic())
                    .setProduced(p.acked(), p.firstAckMillis(), p.lastAckMillis());
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("started_at", startedAt.toString());
        s.put("duration_seconds", round(seconds));
        s.put("kafka", Map.of("bootstrap_servers", kafka.bootstrapServers(), "embedded", embedded));
        s.put("flink", Map.of("job_id", job.getJobID().toString(), "web_ui", webUi));
        s.put("producers_started_after_seconds", round(producersStartedAfter));
        s.put("latency_counted", countedDescription());
        s.put("checkpoints", checkpointSummary(probe));
        long startMillis = startedAt.toEpochMilli();
        long firstOut =
                stats.values().stream()
                        .filter(t -> t.direction().equals("out"))
                        .mapToLong(TopicStats::firstAtMillis)
                        .filter(x -> x > 0)
                        .min()
                        .orElse(-1);
        s.put(
                "first_output_after_seconds",
                firstOut < 0 ? null : round((firstOut - startMillis) / 1000.0));
        Map<String, Object> topicsOut = new LinkedHashMap<>();
        for (TopicStats t : stats.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("direction", t.direction());
            m.put("records", t.records());
            m.put("throughput_per_second", round(t.throughputPerSecond()));
            if (!t.direction().equals("in")) {
                m.put("end_to_end_latency_ms", latencySummary(t.latency()));
                m.put("end_to_end_latency_with_warm_up_ms", latencySummary(t.latencyWithWarmUp()));
                m.put(t.direction().equals("out") ? "model_versions" : "stages", t.labels());
            }
            topicsOut.put(t.topic(), m);
        }
        s.put("topics", topicsOut);
        Map<String, Object> pipes = new LinkedHashMap<>();
        for (DemoPipeline d : demo) {
            String out = d.outputs().keySet().iterator().next();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("job", d.pipeline().jobName());
            p.put("records_in", stats.get(d.inputTopic()).records());
            p.put("records_out", stats.get(out).records());
            p.put("model_versions", stats.get(out).labels().keySet());
            pipes.put(d.pipeline().name(), p);
        }
        s.put("pipelines", pipes);
        s.put(
                "dead_letters",
                stats.get(
                                stats.keySet().stream()
                                        .filter(k -> stats.get(k).direction().equals("dead-letter"))
                                        .findFirst()
                                        .orElseThrow())
                        .records());
        Files.createDirectories(options.outDir());
        Path file = options.outDir().resolve("summary.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), s);
        console.println("Summary:   " + file.toAbsolutePath());
        return s;
    }

    /** What the summary's {@code end_to_end_latency_ms} counts, in words. */
    private String countedDescription() {
        return "outputs whose input was produced after the first "
                + options.warmUp().toSeconds()
                + " s of producing (warm-up: model loading, JIT, first checkpoints); latency from"
                + " the input's time (click, frame capture, traffic interval closed, failure) to a"
                + " read_committed consumer seeing the output; end_to_end_latency_with_warm_up_ms"
                + " counts every output";
    }

    /** The checkpoint settings and durations: the floor of exactly-once latency. */
    private Map<String, Object> checkpointSummary(JobProbe probe) throws InterruptedException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("interval_ms", checkpointInterval.toMillis());
        c.put("unaligned", unaligned);
        try {
            JobProbe.Checkpoints k = probe.checkpoints();
            c.put("completed", k.completed());
            c.put("failed", k.failed());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("p50", k.p50Millis());
            d.put("p99", k.p99Millis());
            d.put("max", k.maxMillis());
            c.put("end_to_end_duration_ms", d);
        } catch (IOException e) {
            LOG.debug("Checkpoint statistics: {}", e.toString());
        }
        return c;
    }

    private static Map<String, Object> latencySummary(LatencyHistogram h) {
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("samples", h.count());
        lat.put("p50", h.percentile(0.50));
        lat.put("p99", h.percentile(0.99));
        lat.put("max", h.max());
        return lat;
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
