package io.attnstream.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark phase's measurement window: between {@link #start} and {@link #end}, what the
 * threads did per record that went through, and (with a profiler) where their CPU time went.
 */
final class PhaseMeter {
    private final String phase;
    private final ThreadCpu threads;
    private final PhaseProfiler profiler;
    private ThreadCpu.Mark from;
    private long fromCount;
    private PerRecord result;
    private PhaseProfiler.Profile profile;

    /**
     * @param profiler null for no profile
     */
    PhaseMeter(String phase, ThreadCpu threads, PhaseProfiler profiler) {
        this.phase = phase;
        this.threads = threads;
        this.profiler = profiler;
    }

    String phase() {
        return phase;
    }

    /**
     * @param count records through so far (a counter that {@link #end} continues)
     */
    synchronized void start(long count) {
        if (from == null) {
            if (profiler != null) {
                // first: its start-up (perf events for every thread) stays outside the window
                profiler.start(phase);
            }
            from = threads.mark();
            fromCount = count;
        }
    }

    synchronized void end(long count) {
        if (from != null && result == null) {
            ThreadCpu.Mark to = threads.mark();
            if (profiler != null) {
                profile = profiler.stop(phase);
            }
            result = PerRecord.of(threads.between(from, to), count - fromCount);
        }
    }

    synchronized boolean started() {
        return from != null;
    }

    /** Null until {@link #end}, or when no record went through. */
    synchronized PerRecord perRecord() {
        return result == null || result.records() == 0 ? null : result;
    }

    /** The window's figures and the profile summary; empty when nothing was measured. */
    synchronized Map<String, Object> report(String unit) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (perRecord() != null) {
            r.putAll(result.toReport(unit));
        }
        if (profile != null) {
            r.put("profile", profile.toReport());
        }
        return r;
    }

    /** Prints the window's profile, if there is one. */
    synchronized void printProfile(PrintStream console) {
        if (profile != null) {
            profile.print(console);
        }
    }
}
