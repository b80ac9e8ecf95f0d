package io.attnstream.inference;

import io.attnstream.schema.FailureStage;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What the async inference operator emits for each input: the result and how it was made, or why
 * there is none. An async function cannot write to a side output, so failures travel in this
 * envelope and {@link InferenceOutcomes} turns them into dead letters. A Flink POJO; see {@link
 * #typeInfo}.
 */
public class Inference<IN, O> {
    public IN input;
    public O output;
    public String modelName;
    public String modelVersion;

    /** Null on success. */
    public FailureStage failureStage;

    public String failure;
    public long queueWaitMicros;
    public long inferenceMicros;
    public int batchSize;

    public Inference() {}

    public static <IN, O> Inference<IN, O> success(IN input, InferenceResult<O> r) {
        Inference<IN, O> i = new Inference<>();
        i.input = input;
        i.output = r.output();
        i.modelName = r.modelName();
        i.modelVersion = r.modelVersion();
        i.queueWaitMicros = r.queueWaitNanos() / 1000;
        i.inferenceMicros = r.inferenceNanos() / 1000;
        i.batchSize = r.batchSize();
        return i;
    }

    public static <IN, O> Inference<IN, O> failed(IN input, FailureStage stage, String reason) {
        Inference<IN, O> i = new Inference<>();
        i.input = input;
        i.failureStage = stage;
        i.failure = reason;
        return i;
    }

    public boolean succeeded() {
        return failureStage == null;
    }

    /** POJO type information with the given types for the input and the output. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <IN, O> TypeInformation<Inference<IN, O>> typeInfo(
            TypeInformation<IN> in, TypeInformation<O> out) {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("input", in);
        fields.put("output", out);
        fields.put("modelName", Types.STRING);
        fields.put("modelVersion", Types.STRING);
        fields.put("failureStage", Types.ENUM(FailureStage.class));
        fields.put("failure", Types.STRING);
        fields.put("queueWaitMicros", Types.LONG);
        fields.put("inferenceMicros", Types.LONG);
        fields.put("batchSize", Types.INT);
        return (TypeInformation) Types.POJO(Inference.class, fields);
    }
}
