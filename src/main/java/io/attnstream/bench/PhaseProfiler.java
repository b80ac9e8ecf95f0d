package io.attnstream.bench;

import io.attnstream.platform.AttnstreamException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import one.profiler.AsyncProfiler;

/**
 * async-profiler (on the classpath through Flink) sampling CPU during each phase's window: {@code
 * cpu} (perf events) where the container allows it, else {@code itimer}, one sample per millisecond
 * of CPU time, stacks per thread. Each phase leaves {@code <phase>.collapsed} (collapsed stacks)
 * and {@code <phase>.html} (a flame graph) in the directory, and a summary: the top self-time
 * frames outside the broker, and the top frames by inclusive time in the Flink task threads.
 */
final class PhaseProfiler {
    static final int TOP_SELF = 15;
    static final int TOP_INCLUSIVE = 10;

    /**
     * Inclusive frames on at least this share of the task threads' samples are their trunk, not a
     * cost.
     */
    static final double TRUNK = 0.9;

    private static final long INTERVAL_NANOS = 1_000_000;

    private final Path dir;
    private final AsyncProfiler profiler;
    private final String event;

    private PhaseProfiler(Path dir, AsyncProfiler profiler, String event) {
        this.dir = dir;
        this.profiler = profiler;
        this.event = event;
    }

    /**
     * @throws AttnstreamException (one line) when the profiler cannot load or sample here
     */
    static PhaseProfiler open(Path dir) {
        AsyncProfiler profiler;
        try {
            profiler = AsyncProfiler.getInstance();
        } catch (LinkageError | RuntimeException e) {
            throw new AttnstreamException(
                    "--profile: async-profiler does not load here (" + e + ")", e);
        }
        String event = null;
        String why = "";
        for (String candidate : List.of("cpu", "itimer")) {
            try {
                profiler.execute("start,event=" + candidate + ",interval=" + INTERVAL_NANOS);
                profiler.execute("stop");
                event = candidate;
                break;
            } catch (IOException | RuntimeException e) {
                why += candidate + ": " + e.getMessage() + "; ";
            }
        }
        if (event == null) {
            throw new AttnstreamException(
                    "--profile: async-profiler cannot sample in this container (" + why + ")");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AttnstreamException(
                    "--profile: cannot create " + dir + ": " + e.getMessage(), e);
        }
        return new PhaseProfiler(dir, profiler, event);
    }

    String event() {
        return event;
    }

    /**
     * One short session once the native libraries are loaded (PyTorch's): the profiler reads their
     * symbols at its first start after they appear, which takes seconds and would otherwise fall
     * into the first phase.
     */
    void prime() {
        try {
            profiler.execute("start,event=" + event + ",interval=" + INTERVAL_NANOS);
            profiler.execute("stop");
        } catch (IOException e) {
            throw new AttnstreamException("profiler did not start: " + e.getMessage(), e);
        }
    }

    void start(String phase) {
        try {
            profiler.execute("start,event=" + event + ",interval=" + INTERVAL_NANOS + ",threads");
        } catch (IOException e) {
            throw new AttnstreamException(
                    "profiler did not start for phase " + phase + ": " + e.getMessage(), e);
        }
    }

    /** Stops sampling, writes the phase's files and summarises them. */
    Profile stop(String phase) {
        try {
            profiler.execute("stop");
            String collapsed = profiler.execute("collapsed");
            Path stacks = dir.resolve(phase + ".collapsed");
            Files.writeString(stacks, collapsed);
            Path html = dir.resolve(phase + ".html");
            profiler.execute("flamegraph,file=" + html.toAbsolutePath());
            return Profile.of(phase, event, CollapsedStacks.parse(collapsed), stacks, html);
        } catch (IOException e) {
            throw new AttnstreamException(
                    "profile of phase " + phase + " not written to " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    /** One phase's profile: where its files are and its top frames. */
    record Profile(
            String phase,
            String event,
            long samples,
            Map<String, Long> samplesByGroup,
            List<CollapsedStacks.Frame> topSelf,
            List<CollapsedStacks.Frame> topInclusiveFlinkTasks,
            Path collapsed,
            Path flameGraph) {

        static Profile of(
                String phase, String event, CollapsedStacks stacks, Path collapsed, Path html) {
            // JIT compilation is warm-up, not a per-record cost; the broker runs elsewhere in a
            // deployment
            var perRecordThreads =
                    CollapsedStacks.notInGroups(
                            Set.of(ThreadCpu.BROKER, ThreadCpu.BENCH_DRIVER, ThreadCpu.JIT));
            return new Profile(
                    phase,
                    event,
                    stacks.samples(t -> true),
                    stacks.samplesByGroup(),
                    stacks.topSelf(TOP_SELF, perRecordThreads),
                    stacks.topInclusive(
                            TOP_INCLUSIVE,
                            CollapsedStacks.inGroup(ThreadCpu.FLINK_TASKS),
                            TRUNK,
                            CollapsedStacks::isPlumbing),
                    collapsed,
                    html);
        }

        void print(PrintStream console) {
            console.printf(
                    "(%s) profile: %d samples (%s, 1 per ms of CPU); %s, %s%n",
                    phase, samples, event, collapsed, flameGraph);
            console.printf("(%s)   samples by thread group: %s%n", phase, samplesByGroup);
            console.printf(
                    "(%s)   top self time, all threads but the broker's, the bench's and the JIT"
                            + " compiler's:%n",
                    phase);
            for (CollapsedStacks.Frame f : topSelf) {
                console.printf("(%s)     %5.1f %%  %s%n", phase, 100 * f.share(), f.name());
            }
            console.printf(
                    "(%s)   top inclusive time in the flink task threads (Flink's record plumbing"
                            + " and frames on >= %.0f %% of their samples left out):%n",
                    phase, 100 * TRUNK);
            for (CollapsedStacks.Frame f : topInclusiveFlinkTasks) {
                console.printf("(%s)     %5.1f %%  %s%n", phase, 100 * f.share(), f.name());
            }
        }

        Map<String, Object> toReport() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("event", event);
            r.put("samples", samples);
            r.put("collapsed", collapsed.toString());
            r.put("flame_graph", flameGraph.toString());
            r.put("samples_by_thread_group", samplesByGroup);
            r.put("top_self_excluding_broker_and_jit", frames(topSelf));
            r.put("top_inclusive_flink_tasks", frames(topInclusiveFlinkTasks));
            return r;
        }

        private static Map<String, Double> frames(List<CollapsedStacks.Frame> frames) {
            Map<String, Double> m = new LinkedHashMap<>();
            frames.forEach(f -> m.put(f.name(), BenchStats.round(100 * f.share())));
            return m;
        }
    }
}
