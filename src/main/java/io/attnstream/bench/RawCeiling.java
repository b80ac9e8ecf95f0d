package io.attnstream.bench;

import ai.djl.inference.Predictor;
import io.attnstream.inference.BatchTranslator;
import io.attnstream.inference.BatchTranslatorAdapter;
import io.attnstream.inference.LoadedModel;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The raw ceiling of a model family: {@code loops} tight Predictor loops (the runtime's workers),
 * each with its own predictor, all running at once on ready-made requests, at each batch size in
 * turn; the best batch size counts. The most the machine scores through the family's translator
 * without Flink, Kafka or decoding.
 *
 * <p>Each loop first warms up (PyTorch tunes itself for a new shape during the first calls), then
 * times every call until its time is up. A loop's rate is its calls' requests over the time it
 * actually ran, so a last call that runs past the deadline (a slow model at a big batch) is counted
 * with its full duration.
 *
 * @param <I> one request of the translator
 * @param <O> one result
 */
public final class RawCeiling<I, O> {
    /**
     * Thread names of the loops, so {@link ThreadCpu} can tell their CPU time from everything
     * else's.
     */
    static final String THREAD_PREFIX = "raw-predictor-loop-";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * @param loops loops running at once (the runtime's configured workers)
     * @param secondsPerBatchSize timed part of each loop at one batch size
     * @param warmUpSeconds untimed calls before it (at least 2 calls)
     * @param unit what a request is, for the report's keys and the console: "records", "frames"
     */
    public record Settings(
            int loops,
            double secondsPerBatchSize,
            double warmUpSeconds,
            int[] batchSizes,
            String unit) {
        public Settings {
            if (loops < 1
                    || !(secondsPerBatchSize > 0)
                    || warmUpSeconds < 0
                    || batchSizes.length == 0) {
                throw new IllegalArgumentException(
                        "loops >= 1, seconds per batch size > 0, warm-up >= 0 and at least"
                                + " one batch size");
            }
            for (int b : batchSizes) {
                if (b < 1) {
                    throw new IllegalArgumentException("batch sizes must be >= 1, got " + b);
                }
            }
            batchSizes = batchSizes.clone();
        }
    }

    /**
     * One batch size's measurement over all loops: the rate, the calls' durations, and the CPU time
     * the loops' threads spent per request while timed. On a machine shared with other work the
     * rate drops with the CPU the loops get; the CPU per request does not, so it is the figure to
     * compare across runs there. It is complete with one PyTorch intra-op thread (the default),
     * whose forward pass runs in the calling thread. Context switches are the loops' threads'
     * (voluntary + nonvoluntary), -1 where /proc is not available.
     */
    public record BatchSizeResult(
            int batchSize,
            long calls,
            double perSecond,
            double batchMillisP50,
            double batchMillisP99,
            double cpuMillisPerRequest,
            double contextSwitchesPerRequest) {}

    /** The whole measurement. */
    public record Result(
            Settings settings,
            List<BatchSizeResult> perBatchSize,
            BatchSizeResult best,
            Map<String, Double> cpuSecondsByThreadGroup) {
        public double perSecond() {
            return best.perSecond();
        }

        /**
         * The report's section: {@code loops}, {@code best_batch_size}, {@code <unit>_per_second}
         * and the per-batch-size table, plus CPU seconds per thread group.
         */
        public Map<String, Object> toReport() {
            String rate = settings.unit() + "_per_second";
            Map<String, Object> table = new LinkedHashMap<>();
            for (BatchSizeResult b : perBatchSize) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put(rate, BenchStats.round(b.perSecond()));
                row.put("calls", b.calls());
                row.put("batch_ms_p50", BenchStats.round(b.batchMillisP50()));
                row.put("batch_ms_p99", BenchStats.round(b.batchMillisP99()));
                row.put(
                        "cpu_ms_per_" + singular(settings.unit()),
                        BenchStats.round(b.cpuMillisPerRequest()));
                row.put(
                        "context_switches_per_" + singular(settings.unit()),
                        BenchStats.round(b.contextSwitchesPerRequest()));
                table.put(Integer.toString(b.batchSize()), row);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("loops", settings.loops());
            r.put("best_batch_size", best.batchSize());
            r.put(rate, BenchStats.round(best.perSecond()));
            r.put(
                    "cpu_ms_per_" + singular(settings.unit()),
                    BenchStats.round(best.cpuMillisPerRequest()));
            r.put(
                    "context_switches_per_" + singular(settings.unit()),
                    BenchStats.round(best.contextSwitchesPerRequest()));
            r.put("per_batch_size", table);
            r.put("cpu_seconds_by_thread_group", cpuSecondsByThreadGroup);
            return r;
        }

        /** The best batch size's cost per request, for {@link PhaseTable}. */
        PerRecord perRecord() {
            long requests = best.calls() * best.batchSize();
            double cpuMicros = best.cpuMillisPerRequest() * 1000;
            double switches = best.contextSwitchesPerRequest();
            String group = ThreadCpu.group(THREAD_PREFIX);
            return new PerRecord(
                    requests,
                    requests / Math.max(1e-9, best.perSecond()),
                    Map.of(group, cpuMicros),
                    cpuMicros,
                    0,
                    switches,
                    switches,
                    switches < 0 ? Map.of() : Map.of(group, switches));
        }

        private static String singular(String unit) {
            return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        }
    }

    private final List<LoadedModel> models;
    private final BatchTranslator<I, O> translator;
    private final IntFunction<List<I>> batchOf;
    private final Settings settings;

    /**
     * @param translator shared by the loops' predictors (translators hold no per-call state)
     * @param batchOf the requests of one batch of the given size, made once per batch size before
     *     the loops run
     */
    public RawCeiling(
            LoadedModel model,
            BatchTranslator<I, O> translator,
            IntFunction<List<I>> batchOf,
            Settings settings) {
        this(List.of(model), translator, batchOf, settings);
    }

    /**
     * As the runtime does on several GPUs: loop {@code l} scores with {@code models.get(l %
     * models.size())}, the model loaded on its own device.
     */
    public RawCeiling(
            List<LoadedModel> models,
            BatchTranslator<I, O> translator,
            IntFunction<List<I>> batchOf,
            Settings settings) {
        this.models = List.copyOf(models);
        this.translator = translator;
        this.batchOf = batchOf;
        this.settings = settings;
    }

    public Result run(PrintStream console) throws Exception {
        List<BatchSizeResult> rows = new ArrayList<>();
        BatchSizeResult best = null;
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        settings.loops(),
                        r -> {
                            Thread t = new Thread(r, THREAD_PREFIX + threads.getAndIncrement());
                            t.setDaemon(true);
                            return t;
                        });
        ThreadCpu cpu = new ThreadCpu();
        try {
            for (int b : settings.batchSizes()) {
                List<I> batch = batchOf.apply(b);
                List<Future<LoopTimes>> runs = new ArrayList<>();
                for (int l = 0; l < settings.loops(); l++) {
                    LoadedModel model = models.get(l % models.size());
                    runs.add(pool.submit(() -> loop(model, batch)));
                }
                List<Long> nanos = new ArrayList<>();
                double rate = 0;
                long cpuNanos = 0;
                long switches = 0;
                for (Future<LoopTimes> run : runs) {
                    LoopTimes t = run.get();
                    nanos.addAll(t.callNanos());
                    rate += t.callNanos().size() * (double) b / (t.elapsedNanos() / 1e9);
                    cpuNanos += t.cpuNanos();
                    switches =
                            switches < 0 || t.contextSwitches() < 0
                                    ? -1
                                    : switches + t.contextSwitches();
                }
                BatchSizeResult row =
                        new BatchSizeResult(
                                b,
                                nanos.size(),
                                rate,
                                BenchStats.percentile(nanos, 0.5) / 1e6,
                                BenchStats.percentile(nanos, 0.99) / 1e6,
                                cpuNanos / 1e6 / ((double) nanos.size() * b),
                                switches < 0 ? -1 : switches / ((double) nanos.size() * b));
                rows.add(row);
                console.printf(
                        "(a) batch %4d, %d loop(s): %9.1f %s/s, %8.2f ms per batch (p50), %d calls,"
                                + " %.2f CPU ms per request%n",
                        b,
                        settings.loops(),
                        rate,
                        settings.unit(),
                        row.batchMillisP50(),
                        row.calls(),
                        row.cpuMillisPerRequest());
                if (best == null || rate > best.perSecond()) {
                    best = row;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(settings, rows, best, cpu.since());
    }

    private record LoopTimes(
            List<Long> callNanos, long elapsedNanos, long cpuNanos, long contextSwitches) {}

    private LoopTimes loop(LoadedModel model, List<I> batch) throws Exception {
        try (Predictor<List<I>, List<O>> p =
                model.model().newPredictor(new BatchTranslatorAdapter<>(translator))) {
            long warm = System.nanoTime() + (long) (settings.warmUpSeconds() * 1e9);
            for (int calls = 0; calls < 2 || System.nanoTime() < warm; calls++) {
                p.predict(batch);
            }
            List<Long> nanos = new ArrayList<>();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long switches0 = ProcThreads.currentThreadContextSwitches();
            long start = System.nanoTime();
            long end = start + (long) (settings.secondsPerBatchSize() * 1e9);
            long t0 = start;
            while (t0 < end) {
                p.predict(batch);
                long t1 = System.nanoTime();
                nanos.add(t1 - t0);
                t0 = t1;
            }
            long switches =
                    switches0 < 0 ? -1 : ProcThreads.currentThreadContextSwitches() - switches0;
            return new LoopTimes(
                    nanos, t0 - start, THREADS.getCurrentThreadCpuTime() - cpu0, switches);
        }
    }
}
