package io.attnstream.clicks.model;

import ai.djl.nn.Block;
import io.attnstream.inference.ModelFamily;
import io.attnstream.inference.ModelSpec;
import java.util.Map;

/** The clicks pipeline's model family: the SASRec-style sequential recommender. */
public final class SequenceModelFamily implements ModelFamily {
    @Override
    public String kind() {
        return SequenceModels.KIND;
    }

    @Override
    public Block block(Map<String, Object> hyperParameters) {
        return SequenceRecommenderBlock.fromHyperParameters(hyperParameters);
    }

    @Override
    public SequencePreprocessing preprocessing(ModelSpec spec) {
        return SequencePreprocessing.of(spec);
    }
}
