package io.attnstream.inference;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How a job feeds each version of its model. A retrained version usually brings its own
 * preprocessing (a vocabulary with new items, another sensor set, another normalisation), so the
 * runtime asks for a translator per loaded version, built from that version's model.json, instead
 * of one translator for the job's lifetime. What a job cannot follow across versions (the history
 * length its state keeps, the horizon its outputs publish, the output layout) is the version's
 * {@link #contract}: a model update whose contract differs from the served version's is rejected.
 *
 * <p>Serializable, since it travels in the job graph; two jobs share a runtime only when their
 * factories serialize equally (see {@link RuntimeRegistry}).
 *
 * @param <I> one request
 * @param <O> one result
 */
public interface TranslatorFactory<I, O> extends Serializable {
    /**
     * The translator for {@code spec}'s version; called once per version the runtime loads.
     *
     * @throws io.attnstream.platform.AttnstreamException when the version's preprocessing cannot
     *     feed this job (the update is then rejected and the served version stays)
     */
    BatchTranslator<I, O> forVersion(ModelSpec spec);

    /**
     * What every version this job serves must share, as a value compared with {@code equals} and
     * named by its {@code toString} when an update is rejected.
     */
    Object contract(ModelSpec spec);

    /**
     * One translator for every version: for a family whose translator does not read the model.json,
     * which therefore needs every version to have the served one's kind, shapes and preprocessing.
     */
    static <I, O> TranslatorFactory<I, O> fixed(BatchTranslator<I, O> translator) {
        return new Fixed<>(translator);
    }

    /** See {@link #fixed}. */
    record Fixed<I, O>(BatchTranslator<I, O> translator) implements TranslatorFactory<I, O> {
        @Override
        public BatchTranslator<I, O> forVersion(ModelSpec spec) {
            return translator;
        }

        @Override
        public Object contract(ModelSpec spec) {
            return new ExactContract(
                    spec.kind(), spec.inputs(), spec.outputs(), spec.preprocessing());
        }
    }

    /** The served version's kind, tensors and preprocessing, all of it. */
    record ExactContract(
            String kind,
            List<ModelSpec.TensorSpec> inputs,
            List<ModelSpec.TensorSpec> outputs,
            Map<String, Object> preprocessing) {
        @Override
        public String toString() {
            // The preprocessing may hold a vocabulary of a million items: name it, do not print it.
            return "kind "
                    + kind
                    + ", shapes "
                    + inputs
                    + " -> "
                    + outputs
                    + " and preprocessing "
                    + (preprocessing == null ? "none" : "#" + preprocessing.hashCode());
        }
    }
}
