package io.attnstream.platform;

import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * A watermark strategy for the envelopes of a decoding source, built from one for the values. Given
 * to {@code env.fromSource(...)}, it runs per Kafka partition (the source keeps one generator per
 * split and emits the minimum), so one partition that is behind holds the watermark back instead of
 * having its readings declared late because another partition ran ahead.
 *
 * <p>Only valid records drive the watermark, and only they count as activity for idleness. A
 * rejected record has no event time that can be trusted (it may not even decode); it keeps its
 * Kafka timestamp as its record timestamp, so the dead-letter sink writes a valid Kafka timestamp,
 * but it is never shown to the watermark generator. Its Kafka timestamp must not move the
 * watermark: that is when the record was produced, which for a replay or a buffering gateway is far
 * ahead of the event time, so one corrupt record would make every reading of its partition late.
 * Long.MIN_VALUE as its timestamp would keep the watermark still, but the sink would then hand
 * Kafka an invalid timestamp.
 */
public final class DecodedWatermarks<T> implements WatermarkStrategy<Decoded<T>> {
    private static final long serialVersionUID = 1L;

    private final WatermarkStrategy<T> values;

    private DecodedWatermarks(WatermarkStrategy<T> values) {
        this.values = values;
    }

    /**
     * @param values the strategy for the decoded values: their timestamps, out-of-orderness and
     *     idleness
     */
    public static <T> WatermarkStrategy<Decoded<T>> of(WatermarkStrategy<T> values) {
        return new DecodedWatermarks<>(values);
    }

    @Override
    public TimestampAssigner<Decoded<T>> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        TimestampAssigner<T> assigner = values.createTimestampAssigner(context);
        return (d, kafkaTimestamp) ->
                d.isValid() ? assigner.extractTimestamp(d.value, kafkaTimestamp) : kafkaTimestamp;
    }

    @Override
    public WatermarkGenerator<Decoded<T>> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new ValidOnly<>(values.createWatermarkGenerator(context));
    }

    /** Shows the wrapped generator valid records only. */
    private record ValidOnly<T>(WatermarkGenerator<T> generator)
            implements WatermarkGenerator<Decoded<T>> {
        @Override
        public void onEvent(Decoded<T> event, long eventTimestamp, WatermarkOutput output) {
            if (event.isValid()) {
                generator.onEvent(event.value, eventTimestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            generator.onPeriodicEmit(output);
        }
    }
}
