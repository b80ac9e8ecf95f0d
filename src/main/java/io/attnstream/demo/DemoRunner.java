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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

/**
 * Everything on one machine: an embedded Kafka broker (unless a real one is given), the topics, the pipelines on
 * a local Flink MiniCluster with the web UI, simulators producing their inputs, and a read_committed monitor of
 * the outputs. Prints a status line per pipeline while it runs and writes {@code summary.json} at the end.
 */
public final class DemoRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

    public record Options(Duration duration, Path outDir, double ratePerPipeline, int kafkaPort,
            KafkaSettings externalKafka, Configuration conf, Duration statusEvery) {}

    private final Options options;
    private final Function<Topics, List<DemoPipeline>> pipelines;
    private final PrintStream console;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    public DemoRunner(Options options, Function<Topics, List<DemoPipeline>> pipelines, PrintStream console) {
        this.options = options;
        this.pipelines = pipelines;
        this.console = console;
    }

    /** Asks a running demo to stop (Ctrl-C); it then drains, cancels the job and writes the summary. */
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
        Configuration conf = new Configuration(options.conf());
        if (!conf.contains(AttnstreamOptions.CHECKPOINT_INTERVAL)) {
            // Exactly-once output is visible at checkpoints: a short interval keeps demo latency low.
            conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
        }
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
            console.println("Kafka:     " + kafka.bootstrapServers() + (embedded != null ? " (embedded KRaft broker)" : ""));
            Topics topics = Topics.from(conf);
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensureTopics(topics.all(), conf.get(AttnstreamOptions.TOPIC_PARTITIONS),
                        conf.get(AttnstreamOptions.TOPIC_REPLICATION).shortValue(), Duration.ofSeconds(60));
            }
            List<DemoPipeline> demo = pipelines.apply(topics);

            // One Flink job holds every pipeline; each pipeline keeps its own transactional-id prefix.
            JobSettings first = JobSettings.from(demo.get(0).pipeline().jobName(), conf);
            StreamExecutionEnvironment env = FlinkEnvironments.local(first, conf);
            for (DemoPipeline d : demo) {
                JobSettings js = JobSettings.from(d.pipeline().jobName(), conf);
                d.pipeline().build(env, new PipelineContext(kafka, js, topics, conf, null));
            }
            String webUi = "http://127.0.0.1:" + env.getConfiguration().get(RestOptions.BIND_PORT);

            // Stats per topic; the monitor starts before producers so it sees every output.
            Map<String, TopicStats> stats = new LinkedHashMap<>();
            Map<String, OutputMonitor.Observer> observers = new LinkedHashMap<>();
            for (DemoPipeline d : demo) {
                stats.put(d.inputTopic(), new TopicStats(d.inputTopic(), "in"));
                d.outputs().forEach((t, o) -> {
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
            console.println("Running " + (options.duration() == null ? "until Ctrl-C" : "for " + options.duration().toSeconds() + " s")
                    + "; status every " + options.statusEvery().toSeconds() + " s.");

            for (DemoPipeline d : demo) {
                CheckedProducer producer = new CheckedProducer(kafka, "attnstream-demo-" + d.pipeline().name());
                ProducerLoop loop = new ProducerLoop(producer, d.generator(), options.ratePerPipeline());
                producers.add(producer);
                loops.add(loop);
                Thread t = new Thread(() -> {
                    try {
                        loop.run(null);
                    } catch (RuntimeException e) {
                        LOG.error("Producer for {} failed: {}", d.pipeline().name(), e.getMessage());
                    }
                }, "demo-producer-" + d.pipeline().name());
                t.setDaemon(true);
                t.start();
                producerThreads.add(t);
            }

            StatusPrinter status = new StatusPrinter(console, demo, stats, deadLetterTopic, producers);
            long deadline = options.duration() == null ? Long.MAX_VALUE
                    : System.nanoTime() + options.duration().toNanos();
            while (System.nanoTime() < deadline) {
                long wait = Math.min(options.statusEvery().toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (stopRequested.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
                status.print(elapsed(startNanos));
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException("the Flink job stopped: " + job.getJobStatus().get());
                }
            }

            // Stop producing, then give the last checkpoint(s) time to commit what is in flight.
            loops.forEach(ProducerLoop::stop);
            for (Thread t : producerThreads) {
                t.join(15_000);
            }
            long produced = producers.stream().mapToLong(CheckedProducer::acked).sum();
            long drainUntil = System.nanoTime() + conf.get(AttnstreamOptions.CHECKPOINT_INTERVAL).multipliedBy(3)
                    .plusSeconds(10).toNanos();
            while (System.nanoTime() < drainUntil && processed(demo, stats, deadLetterTopic) < produced) {
                Thread.sleep(200);
            }
            status.print(elapsed(startNanos));
            return summarize(startedAt, startNanos, kafka, embedded != null, webUi, job, demo, stats, producers);
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

    /** Inputs accounted for: each input yields one output on the pipeline's first output topic or a dead letter. */
    private static long processed(List<DemoPipeline> demo, Map<String, TopicStats> stats, String deadLetterTopic) {
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
                // From the failure to its visibility: a source timestamp can be simulated or replayed event time.
                return new OutputMonitor.Observation(d.getFailedAt().toEpochMilli(), d.getStage().name());
            } catch (IOException e) {
                return null;
            }
        };
    }

    private Map<String, Object> summarize(Instant startedAt, long startNanos, KafkaSettings kafka, boolean embedded,
            String webUi, JobClient job, List<DemoPipeline> demo, Map<String, TopicStats> stats,
            List<CheckedProducer> producers) throws IOException {
        double seconds = elapsed(startNanos);
        for (int i = 0; i < demo.size(); i++) {
            CheckedProducer p = producers.get(i);
            stats.get(demo.get(i).inputTopic()).setProduced(p.acked(), p.firstAckMillis(), p.lastAckMillis());
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("started_at", startedAt.toString());
        s.put("duration_seconds", round(seconds));
        s.put("kafka", Map.of("bootstrap_servers", kafka.bootstrapServers(), "embedded", embedded));
        s.put("flink", Map.of("job_id", job.getJobID().toString(), "web_ui", webUi));
        long startMillis = startedAt.toEpochMilli();
        long firstOut = stats.values().stream().filter(t -> t.direction().equals("out"))
                .mapToLong(TopicStats::firstAtMillis).filter(x -> x > 0).min().orElse(-1);
        s.put("first_output_after_seconds", firstOut < 0 ? null : round((firstOut - startMillis) / 1000.0));
        Map<String, Object> topicsOut = new LinkedHashMap<>();
        for (TopicStats t : stats.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("direction", t.direction());
            m.put("records", t.records());
            m.put("throughput_per_second", round(t.throughputPerSecond()));
            if (!t.direction().equals("in")) {
                LatencyHistogram h = t.latency();
                Map<String, Object> lat = new LinkedHashMap<>();
                lat.put("samples", h.count());
                lat.put("p50", h.percentile(0.50));
                lat.put("p99", h.percentile(0.99));
                lat.put("max", h.max());
                m.put("end_to_end_latency_ms", lat);
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
        s.put("dead_letters", stats.get(stats.keySet().stream().filter(k -> stats.get(k).direction().equals("dead-letter"))
                .findFirst().orElseThrow()).records());
        Files.createDirectories(options.outDir());
        Path file = options.outDir().resolve("summary.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), s);
        console.println("Summary:   " + file.toAbsolutePath());
        return s;
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
