package io.attnstream.inference;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import java.io.Serializable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes scored inputs on and turns failed ones (inference error, timeout, unusable request) into
 * dead letters on the {@link DeadLetters#TAG} side output, with the reason and the input's lineage.
 */
public class InferenceOutcomes<IN, O> extends ProcessFunction<Inference<IN, O>, Inference<IN, O>> {
    private static final long serialVersionUID = 1L;

    /** Describes a failed input as a dead letter (its lineage and payload). */
    @FunctionalInterface
    public interface DeadLetterFactory<IN> extends Serializable {
        DeadLetter of(IN input, FailureStage stage, String reason);
    }

    private final DeadLetterFactory<IN> deadLetters;

    /**
     * Dead letters for Sourced inputs: the job, the failure, and the input's lineage and re-encoded
     * payload.
     */
    public static <T extends SpecificRecord> DeadLetterFactory<Sourced<T>> forSourced(
            String job, Class<T> type) {
        AvroCodec<T> codec = AvroCodec.of(type);
        return (in, stage, reason) -> DeadLetters.of(job, stage, reason, null, in, codec);
    }

    public InferenceOutcomes(DeadLetterFactory<IN> deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void processElement(
            Inference<IN, O> value, Context ctx, Collector<Inference<IN, O>> out) {
        if (value.succeeded()) {
            out.collect(value);
        } else {
            ctx.output(
                    DeadLetters.TAG,
                    deadLetters.of(value.input, value.failureStage, value.failure));
        }
    }
}
