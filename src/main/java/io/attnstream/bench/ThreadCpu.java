package io.attnstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds spent by this JVM's threads between two snapshots, grouped by what they do (inference workers,
 * Flink tasks, the in-process Kafka broker, Kafka clients, ...). With one PyTorch intra-op thread, the forward
 * passes run inside the inference worker threads, so the split is complete.
 */
public final class ThreadCpu {
    /** The group of the batching runtime's worker threads, where the forward passes run. */
    static final String INFERENCE_WORKERS = "inference workers (incl. PyTorch)";
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start = new HashMap<>();
    private final Map<Long, Long> last = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final long wallStart = System.nanoTime();
    private final Thread sampler;
    private volatile boolean sampling = true;

    /** Starts sampling every 100 ms: threads that end before {@link #since()} still count. */
    public ThreadCpu() {
        sample(true);
        sampler = new Thread(() -> {
            while (sampling) {
                sample(false);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "thread-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private synchronized void sample(boolean first) {
        for (ThreadInfo t : MX.getThreadInfo(MX.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = MX.getThreadCpuTime(t.getThreadId());
            if (cpu < 0) {
                continue;
            }
            if (first) {
                start.put(t.getThreadId(), cpu);
            }
            last.put(t.getThreadId(), cpu);
            names.putIfAbsent(t.getThreadId(), t.getThreadName());
        }
    }

    /** Stops sampling; CPU seconds per group since construction, plus "wall_seconds". */
    public Map<String, Double> since() {
        sampling = false;
        sample(false);
        Map<String, Double> groups = new TreeMap<>();
        synchronized (this) {
            for (var e : last.entrySet()) {
                long used = e.getValue() - start.getOrDefault(e.getKey(), 0L);
                if (!"thread-cpu-sampler".equals(names.get(e.getKey()))) {
                    groups.merge(group(names.get(e.getKey())), used / 1e9, Double::sum);
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("wall_seconds", round((System.nanoTime() - wallStart) / 1e9));
        groups.forEach((k, v) -> out.put(k, round(v)));
        return out;
    }

    static String group(String thread) {
        if (thread.startsWith("attnstream-") && thread.contains("-worker-")) {
            return INFERENCE_WORKERS;
        }
        if (thread.startsWith(RawCeiling.THREAD_PREFIX)) {
            return "raw predictor loops (incl. PyTorch)";
        }
        if (thread.startsWith("attnstream-") && thread.endsWith("-batcher")) {
            return "inference batcher";
        }
        if (thread.startsWith("data-plane-kafka") || thread.startsWith("kafka-") && !thread.startsWith("kafka-producer")
                && !thread.startsWith("kafka-admin") || thread.startsWith("quorum-controller") || thread.startsWith("broker-")
                || thread.startsWith("controller-") || thread.contains("raft") || thread.startsWith("ExpirationReaper")
                || thread.startsWith("LogDirFailureHandler") || thread.startsWith("group-coordinator")
                || thread.startsWith("transaction-") || thread.startsWith("share-")) {
            return "kafka broker (in-process)";
        }
        if (thread.startsWith("kafka-producer") || thread.startsWith("Source Data Fetcher") || thread.startsWith("kafka-admin")) {
            return "kafka clients";
        }
        if (thread.contains(" -> ") || thread.startsWith("Source:") || thread.contains("#")) {
            return "flink tasks";
        }
        if (thread.startsWith("flink-") || thread.startsWith("jobmanager") || thread.startsWith("Checkpoint")
                || thread.startsWith("AsyncOperations") || thread.startsWith("pool-")) {
            return "flink runtime";
        }
        if (thread.startsWith("GC") || thread.startsWith("G1") || thread.startsWith("C1") || thread.startsWith("C2")
                || thread.startsWith("VM ")) {
            return "jvm";
        }
        if (thread.equals("main")) {
            return "main (job submission, start-up)";
        }
        return "other";
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
