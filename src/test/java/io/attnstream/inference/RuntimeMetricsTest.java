package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.testing.AffineModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeMetricsTest {

    /** Records what is registered, by "group.path.name". */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        final Map<String, Metric> metrics;
        final String prefix;

        RecordingGroup(Map<String, Metric> metrics, String prefix) {
            this.metrics = metrics;
            this.prefix = prefix;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(metrics, prefix + key + "." + value + ".");
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            metrics.put(prefix + name, histogram);
            return histogram;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(prefix + name, gauge);
            return gauge;
        }

        @Override
        public Counter counter(String name) {
            Counter c = new SimpleCounter();
            metrics.put(prefix + name, c);
            return c;
        }

        @Override
        public <M extends Meter> M meter(String name, M meter) {
            metrics.put(prefix + name, meter);
            return meter;
        }
    }

    @Test
    void modelGroupReportsTheRuntimesFiguresAndVersion(@TempDir Path root) throws Exception {
        AffineModels.register();
        Path v1 = AffineModels.write(root, "aff", "7", 1f, 0f);
        Map<String, Metric> m = new HashMap<>();
        try (var rt =
                new BatchingRuntime<>(
                        "aff",
                        v1,
                        RuntimeSettings.defaults().withBatching(4, Duration.ofMillis(20)),
                        new AffineModels.Translator(Float.NaN, 0))) {
            RuntimeMetrics.Counters c = RuntimeMetrics.register(new RecordingGroup(m, ""), rt);
            List<CompletableFuture<InferenceResult<Float>>> all = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                all.add(rt.submit((float) i));
            }
            for (var f : all) {
                f.get(5, TimeUnit.SECONDS);
            }
            c.requests().inc(9);

            assertThat(m)
                    .containsKeys(
                            "model.aff.batchSize",
                            "model.aff.queueWaitMicros",
                            "model.aff.inferenceMicros",
                            "model.aff.attentionEntropyPermille",
                            "model.aff.requests",
                            "model.aff.requestsPerSecond",
                            "model.aff.failures",
                            "model.aff.runtimeErrors");
            assertThat(((Gauge<?>) m.get("model.aff.modelVersion")).getValue()).isEqualTo("7");
            assertThat(((Gauge<?>) m.get("model.aff.runtimeRequests")).getValue()).isEqualTo(9L);
            Histogram batches = (Histogram) m.get("model.aff.batchSize");
            assertThat(batches.getStatistics().getMax()).isLessThanOrEqualTo(4);
            long batched = 0;
            for (long v : batches.getStatistics().getValues()) {
                batched += v;
            }
            assertThat(batched).isEqualTo(9);
            assertThat(((Counter) m.get("model.aff.requests")).getCount()).isEqualTo(9);
        }
    }
}
