package io.attnstream.inference;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics of a model's scoring, in the group {@code model.<name>} of an operator: the shared
 * runtime's histograms and gauges (JVM-wide: every subtask of the JVM reports the same values) and
 * the subtask's own request and failure counters.
 */
public final class RuntimeMetrics {
    /** The subtask's own counters, which the operator increments. */
    public record Counters(Counter requests, Counter failures) {}

    private RuntimeMetrics() {}

    public static Counters register(MetricGroup operator, BatchingRuntime<?, ?> runtime) {
        MetricGroup g = operator.addGroup("model", runtime.modelName());
        RuntimeStats s = runtime.stats();
        g.histogram("batchSize", s.batchSize);
        g.histogram("queueWaitMicros", s.queueWaitMicros);
        g.histogram("inferenceMicros", s.inferenceMicros);
        g.histogram("attentionEntropyPermille", s.attentionEntropyPermille);
        g.gauge("runtimeRequests", s.requests::get);
        g.gauge("runtimeErrors", s.errors::get);
        g.gauge("modelVersion", () -> runtime.currentSpec().version());
        Counter requests = g.counter("requests");
        g.meter("requestsPerSecond", new MeterView(requests));
        return new Counters(requests, g.counter("failures"));
    }
}
