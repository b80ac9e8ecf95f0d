package io.attnstream.pipeline;

import io.attnstream.platform.AttnstreamException;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Keeps a fixed share of a pipeline's attention records. Attention records are several times larger
 * than the predictions they explain; a deployment that only audits or visualises them can publish a
 * sample. The choice is a function of the prediction id alone, so every subtask, restart and replay
 * keeps the same records, and a consumer can tell which predictions have attention without looking.
 */
public final class AttentionSample<T> implements FilterFunction<T> {
    private static final long serialVersionUID = 1L;

    public static final ConfigOption<Double> RATE =
            ConfigOptions.key("attnstream.job.attention-sample-rate")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "Share of predictions whose attention record is published, in [0, 1],"
                                + " chosen by prediction id (1: all, 0: none). Below 1 the job has"
                                + " one more (stateless) operator.");

    private final double rate;
    private final SerializableFunction<T, String> predictionId;

    public AttentionSample(double rate, SerializableFunction<T, String> predictionId) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new AttnstreamException(RATE.key() + " must be in [0, 1], got " + rate);
        }
        this.rate = rate;
        this.predictionId = predictionId;
    }

    @Override
    public boolean filter(T record) {
        return keeps(predictionId.apply(record), rate);
    }

    /**
     * Whether the attention of this prediction is published at this rate: the same answer in every
     * JVM.
     */
    public static boolean keeps(String predictionId, double rate) {
        // String.hashCode is specified by the JLS, so stable across JVMs; the mix spreads ids that
        // differ only in their last characters (sequential offsets) over the whole range.
        long h = predictionId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        double unit = (h & 0xFFFFFFFFL) / 4294967296.0; // [0, 1)
        return unit < rate;
    }
}
