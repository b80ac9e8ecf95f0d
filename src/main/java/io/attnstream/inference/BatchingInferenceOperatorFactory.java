package io.attnstream.inference;

import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Creates {@link BatchingInferenceOperator}s with the task's mailbox, which the operator needs for
 * its results.
 */
public final class BatchingInferenceOperatorFactory<IN, I, O>
        extends AbstractStreamOperatorFactory<Inference<IN, O>>
        implements OneInputStreamOperatorFactory<IN, Inference<IN, O>> {
    private static final long serialVersionUID = 1L;

    private final ModelScoring<IN, I, O> scoring;

    public BatchingInferenceOperatorFactory(ModelScoring<IN, I, O> scoring) {
        this.scoring = scoring;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<Inference<IN, O>>> T createStreamOperator(
            StreamOperatorParameters<Inference<IN, O>> parameters) {
        return (T) new BatchingInferenceOperator<>(parameters, scoring);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return BatchingInferenceOperator.class;
    }
}
