package io.attnstream.demo;

import io.attnstream.platform.CheckedProducer;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The demo's compact live status: one line per pipeline, its rates and the latency of the outputs
 * seen since the previous line (what the pipeline does now; the summary's figures are over the
 * whole run after the warm-up).
 */
final class StatusPrinter {
    private final PrintStream console;
    private final List<DemoPipeline> demo;
    private final Map<String, TopicStats> stats;
    private final String deadLetterTopic;
    private final List<CheckedProducer> producers;
    private long[] lastIn;
    private long[] lastOut;
    private double lastSeconds;

    StatusPrinter(
            PrintStream console,
            List<DemoPipeline> demo,
            Map<String, TopicStats> stats,
            String deadLetterTopic,
            List<CheckedProducer> producers) {
        this.console = console;
        this.demo = demo;
        this.stats = stats;
        this.deadLetterTopic = deadLetterTopic;
        this.producers = producers;
        this.lastIn = new long[demo.size()];
        this.lastOut = new long[demo.size()];
    }

    void print(double seconds) {
        double dt = Math.max(seconds - lastSeconds, 1e-3);
        for (int i = 0; i < demo.size(); i++) {
            DemoPipeline d = demo.get(i);
            TopicStats out = stats.get(d.outputs().keySet().iterator().next());
            long in = i < producers.size() ? producers.get(i).acked() : 0;
            long o = out.records();
            LatencyHistogram h = out.takeRecentLatency();
            console.printf(
                    "[%6.0fs] %-8s in %,9d (%5.0f/s) | out %,9d (%5.0f/s) | dead %,6d | latency p50"
                            + " %s p99 %s | %s%n",
                    seconds,
                    d.pipeline().name(),
                    in,
                    (in - lastIn[i]) / dt,
                    o,
                    (o - lastOut[i]) / dt,
                    stats.get(deadLetterTopic).records(),
                    ms(h.percentile(0.5)),
                    ms(h.percentile(0.99)),
                    out.labels().isEmpty()
                            ? "no output yet"
                            : String.join(",", out.labels().keySet()));
            lastIn[i] = in;
            lastOut[i] = o;
        }
        console.flush();
        lastSeconds = seconds;
    }

    private static String ms(long v) {
        return v < 0 ? "-" : v >= 1000 ? String.format("%.2fs", v / 1000.0) : v + "ms";
    }
}
