package io.attnstream.platform;

import io.attnstream.schema.FailureStage;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.util.Optional;

/**
 * Decodes raw Kafka bytes into an Avro record and validates it. A record that does not decode or fails
 * validation goes to the {@link DeadLetters#TAG} side output with the reason and its topic/partition/offset; the
 * job keeps running. (A deserializer that throws inside the Kafka source would make Flink restart at the same
 * offset forever.)
 */
public class DecodeFunction<T extends SpecificRecord> extends ProcessFunction<RawRecord, Sourced<T>> {
    private static final long serialVersionUID = 1L;

    private final String job;
    private final AvroCodec<T> codec;
    private final RecordValidator<T> validator;
    private transient Counter decoded;
    private transient Counter rejected;

    public DecodeFunction(String job, Class<T> type, RecordValidator<T> validator) {
        this.job = job;
        this.codec = AvroCodec.of(type);
        this.validator = validator;
    }

    @Override
    public void open(OpenContext openContext) {
        AvroTrust.install();
        decoded = getRuntimeContext().getMetricGroup().counter("recordsDecoded");
        rejected = getRuntimeContext().getMetricGroup().counter("recordsDeadLettered");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Sourced<T>> out) {
        T value;
        try {
            value = codec.decode(raw.value);
        } catch (IOException e) {
            reject(ctx, FailureStage.DECODE, "not a valid " + codec.type().getSimpleName() + ": " + e.getMessage(), e, raw);
            return;
        }
        Optional<String> problem;
        try {
            problem = validator.problem(value);
        } catch (RuntimeException e) {
            // A validator that trips over a strange value is still a bad record, not a job failure.
            problem = Optional.of("validation failed: " + e);
        }
        if (problem.isPresent()) {
            reject(ctx, FailureStage.VALIDATE, problem.get(), null, raw);
            return;
        }
        decoded.inc();
        out.collect(Sourced.of(value, raw));
    }

    private void reject(Context ctx, FailureStage stage, String reason, Throwable error, RawRecord raw) {
        rejected.inc();
        ctx.output(DeadLetters.TAG, DeadLetters.of(job, stage, reason, error, raw));
    }
}
