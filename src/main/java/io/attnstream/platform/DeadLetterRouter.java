package io.attnstream.platform;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Right after a decoding source (chained to it, so envelopes are passed, not serialised): valid
 * records go on with their lineage, rejected ones to the {@link DeadLetters#TAG} side output.
 * Counts both as {@code recordsDecoded} and {@code recordsDeadLettered}, the metrics the decode
 * operator used to report.
 */
public class DeadLetterRouter<T> extends ProcessFunction<Decoded<T>, Sourced<T>> {
    private static final long serialVersionUID = 1L;

    private transient Counter decoded;
    private transient Counter rejected;

    @Override
    public void open(OpenContext openContext) {
        decoded = getRuntimeContext().getMetricGroup().counter("recordsDecoded");
        rejected = getRuntimeContext().getMetricGroup().counter("recordsDeadLettered");
    }

    @Override
    public void processElement(Decoded<T> in, Context ctx, Collector<Sourced<T>> out) {
        if (in.isValid()) {
            decoded.inc();
            out.collect(in.sourced());
        } else {
            rejected.inc();
            ctx.output(DeadLetters.TAG, in.deadLetter);
        }
    }

    /**
     * A decoding source with its router chained to it: the valid records, with their lineage.
     *
     * @param sourceUid the source's uid and name; the two uids are the job's savepoint identity of
     *     these operators (the source's offsets), so a pipeline keeps them once released
     * @param routeUid the router's uid
     */
    public static <T extends SpecificRecordBase> SingleOutputStreamOperator<Sourced<T>> fromSource(
            StreamExecutionEnvironment env,
            Source<Decoded<T>, ?, ?> source,
            WatermarkStrategy<Decoded<T>> watermarks,
            String sourceUid,
            String routeUid,
            Class<T> type) {
        return env.fromSource(source, watermarks, sourceUid)
                .uid(sourceUid)
                .process(new DeadLetterRouter<T>())
                .returns(Sourced.typeInfo(type))
                .uid(routeUid)
                .name("route rejected " + type.getSimpleName() + " records to dead letters");
    }
}
