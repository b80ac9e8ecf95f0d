package io.attnstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What this JVM's threads did between two moments, grouped by what they do (inference workers,
 * Flink tasks, the in-process Kafka broker, Kafka clients, ...): CPU seconds and context switches.
 * With one PyTorch intra-op thread, the forward passes run inside the inference worker threads, so
 * the split is complete.
 *
 * <p>CPU time of Java threads comes from the JVM, sampled every 100 ms; CPU time of the threads it
 * does not list (GC, VM thread, JIT compilers) and every thread's context switches (voluntary +
 * nonvoluntary) come from {@code /proc/self/task}, sampled every 500 ms (reading ~200 status files
 * takes a few ms). Every {@link #mark()} samples everything at once. A thread that ends between two
 * marks still counts, up to its last sample.
 */
public final class ThreadCpu implements AutoCloseable {
    /** The group of the batching runtime's worker threads, where the forward passes run. */
    static final String INFERENCE_WORKERS = "inference workers (incl. PyTorch)";

    /** The in-process broker's threads: a deployment runs the broker elsewhere. */
    static final String BROKER = "kafka broker (in-process)";

    /** The Flink task threads, where the operators run. */
    static final String FLINK_TASKS = "flink tasks";

    /** The benchmark's own producers, readers and samplers: not part of the job. */
    static final String BENCH_DRIVER = "bench driver (producers, readers)";

    /** The JIT compiler's threads: warm-up, not a per-record cost once the job runs steadily. */
    static final String JIT = "jvm JIT compiler";

    /** Job submission and start-up in the calling thread: not part of the job's per-record work. */
    static final String MAIN = "main (job submission, start-up)";

    private static final String SAMPLER = "thread-cpu-sampler";
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int PROC_EVERY = 5;

    /**
     * Cumulative figures of every thread seen, at one moment: CPU nanoseconds of Java threads (by
     * JVM id) and of native-only threads (by tid), context switches by tid.
     */
    public record Mark(
            long nanoTime,
            Map<Long, Long> javaCpu,
            Map<Integer, Long> nativeCpu,
            Map<Integer, Long> contextSwitches) {}

    /**
     * What the threads did between two marks.
     *
     * @param contextSwitchesByGroup empty where /proc is not available
     */
    public record Usage(
            double wallSeconds,
            Map<String, Double> cpuSecondsByGroup,
            Map<String, Long> contextSwitchesByGroup) {}

    private final ProcThreads proc = ProcThreads.available() ? new ProcThreads() : null;
    private final Map<Long, Long> javaCpu = new HashMap<>();
    private final Map<Long, String> javaNames = new HashMap<>();
    private final Map<Integer, Long> nativeCpu = new HashMap<>();
    private final Map<Integer, Long> switches = new HashMap<>();
    private final Map<Integer, ProcThreads.Named> tidNames = new HashMap<>();
    private final Set<Integer> dumpedFor = new HashSet<>();
    private final Mark start;
    private final Thread sampler;
    private volatile boolean sampling = true;

    /** Starts sampling: threads that end before a later mark still count. */
    public ThreadCpu() {
        start = mark();
        sampler =
                new Thread(
                        () -> {
                            for (int tick = 1; sampling; tick++) {
                                try {
                                    Thread.sleep(100);
                                } catch (InterruptedException e) {
                                    return;
                                }
                                sampleJava();
                                if (tick % PROC_EVERY == 0) {
                                    sampleProc();
                                }
                            }
                        },
                        SAMPLER);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Samples every thread now. */
    public synchronized Mark mark() {
        sampleJava();
        sampleProc();
        return new Mark(
                System.nanoTime(),
                Map.copyOf(javaCpu),
                Map.copyOf(nativeCpu),
                Map.copyOf(switches));
    }

    private synchronized void sampleJava() {
        for (ThreadInfo t : MX.getThreadInfo(MX.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = MX.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                javaCpu.put(t.getThreadId(), cpu);
                javaNames.putIfAbsent(t.getThreadId(), t.getThreadName());
            }
        }
    }

    private synchronized void sampleProc() {
        if (proc == null) {
            return;
        }
        int[] tids = proc.tids();
        Set<Integer> unnamed = new HashSet<>();
        for (int tid : tids) {
            if (!tidNames.containsKey(tid) && !dumpedFor.contains(tid)) {
                unnamed.add(tid);
            }
        }
        if (!unnamed.isEmpty()) {
            // one thread dump names every thread new since the last one (a few ms for ~200 threads)
            tidNames.putAll(ProcThreads.threadDump());
            dumpedFor.addAll(unnamed);
        }
        for (int tid : tids) {
            ProcThreads.Named named = tidNames.get(tid);
            if (named == null) {
                // a native thread the JVM does not list (e.g. one a native library started)
                String comm = proc.comm(tid);
                named = new ProcThreads.Named(comm == null ? "?" : comm, -1);
                tidNames.put(tid, named);
            }
            long cs = proc.contextSwitches(tid);
            if (cs >= 0) {
                switches.put(tid, cs);
            }
            if (!javaCpu.containsKey(
                    named.javaId())) { // a thread the ThreadMXBean does not list (GC, VM, JIT)
                long cpu = proc.cpuNanos(tid);
                if (cpu >= 0) {
                    nativeCpu.put(tid, cpu);
                }
            }
        }
    }

    /** By group: what the threads did from {@code from} to {@code to}. */
    public synchronized Usage between(Mark from, Mark to) {
        Map<String, Double> cpu = new TreeMap<>();
        for (var e : to.javaCpu().entrySet()) {
            String name = javaNames.get(e.getKey());
            if (!SAMPLER.equals(name)) {
                cpu.merge(
                        group(name),
                        (e.getValue() - from.javaCpu().getOrDefault(e.getKey(), 0L)) / 1e9,
                        Double::sum);
            }
        }
        for (var e : to.nativeCpu().entrySet()) {
            cpu.merge(
                    group(tidNames.get(e.getKey()).name()),
                    (e.getValue() - from.nativeCpu().getOrDefault(e.getKey(), 0L)) / 1e9,
                    Double::sum);
        }
        Map<String, Long> cs = new TreeMap<>();
        for (var e : to.contextSwitches().entrySet()) {
            String name = tidNames.get(e.getKey()).name();
            if (!SAMPLER.equals(name)) {
                cs.merge(
                        group(name),
                        e.getValue() - from.contextSwitches().getOrDefault(e.getKey(), 0L),
                        Long::sum);
            }
        }
        return new Usage((to.nanoTime() - from.nanoTime()) / 1e9, cpu, cs);
    }

    /** Stops sampling; CPU seconds per group since construction, plus "wall_seconds". */
    public Map<String, Double> since() {
        Usage u = between(start, mark());
        close();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("wall_seconds", round(u.wallSeconds()));
        u.cpuSecondsByGroup().forEach((k, v) -> out.put(k, round(v)));
        return out;
    }

    @Override
    public void close() {
        sampling = false;
        sampler.interrupt();
    }

    static String group(String thread) {
        if (thread == null) {
            return "other";
        }
        if (thread.startsWith("attnstream-") && thread.contains("-worker-")) {
            return INFERENCE_WORKERS;
        }
        if (thread.startsWith(RawCeiling.THREAD_PREFIX)) {
            return "raw predictor loops (incl. PyTorch)";
        }
        if (thread.startsWith("attnstream-") && thread.endsWith("-batcher")) {
            return "inference batcher";
        }
        if (thread.startsWith("kafka-producer-network-thread | bench")
                || thread.startsWith(BenchJobs.DRIVER_PREFIX)) {
            return BENCH_DRIVER;
        }
        if (thread.startsWith("data-plane-kafka")
                || thread.startsWith("kafka-")
                        && !thread.startsWith("kafka-producer")
                        && !thread.startsWith("kafka-admin")
                || thread.startsWith("quorum-controller")
                || thread.startsWith("broker-")
                || thread.startsWith("controller-")
                || thread.contains("raft")
                || thread.startsWith("ExpirationReaper")
                || thread.startsWith("LogDirFailureHandler")
                || thread.startsWith("group-coordinator")
                || thread.startsWith("transaction-")
                || thread.startsWith("share-")
                || thread.startsWith("TxnMarkerSender")
                || thread.startsWith("AddPartitionsToTxnSender")
                || thread.startsWith("PersisterStateManager")
                || thread.endsWith("-reaper")
                || thread.startsWith("metrics-meter-tick-thread")) {
            return BROKER;
        }
        if (thread.startsWith("kafka-producer")
                || thread.startsWith("Source Data Fetcher")
                || thread.startsWith("kafka-admin")) {
            return "kafka clients";
        }
        if (thread.startsWith("OutputFlusher for ")) {
            // Flink's buffer-timeout thread: flushes the network buffers every
            // execution.buffer-timeout.interval
            return "flink output flushers";
        }
        if (thread.startsWith("Time Trigger for ")
                || thread.startsWith("System Time Trigger for ")) {
            return "flink runtime";
        }
        if (thread.contains(" -> ")
                || thread.startsWith("Source:")
                || thread.contains("#")
                        && !thread.startsWith("GC Thread#")
                        && !thread.startsWith("G1 ")) {
            return FLINK_TASKS;
        }
        if (thread.startsWith("flink-")
                || thread.startsWith("Flink-")
                || thread.startsWith("jobmanager")
                || thread.startsWith("mini-cluster")
                || thread.startsWith("Checkpoint")
                || thread.startsWith("AsyncOperations")
                || thread.startsWith("pool-")) {
            return "flink runtime";
        }
        if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
            return JIT;
        }
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ")) {
            return "jvm GC";
        }
        if (thread.startsWith("VM ") || JVM_THREADS.contains(thread)) {
            return "jvm other";
        }
        if (thread.equals("main")) {
            return MAIN;
        }
        return "other";
    }

    private static final Set<String> JVM_THREADS =
            Set.of(
                    "Reference Handler",
                    "Finalizer",
                    "Signal Dispatcher",
                    "Service Thread",
                    "Monitor Deflation Thread",
                    "Sweeper thread",
                    "Notification Thread",
                    "Common-Cleaner",
                    "Attach Listener",
                    "process reaper");

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
