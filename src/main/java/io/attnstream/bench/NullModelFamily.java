package io.attnstream.bench;

import ai.djl.nn.Block;
import io.attnstream.inference.ModelFamily;
import io.attnstream.inference.ModelSpec;
import java.util.Map;

/** The benchmarks' null models ({@link NullModels}): constant outputs of a real model's shapes. */
public final class NullModelFamily implements ModelFamily {
    @Override
    public String kind() {
        return ConstantOutputsBlock.KIND;
    }

    @Override
    public Block block(Map<String, Object> hyperParameters) {
        return ConstantOutputsBlock.fromHyperParameters(hyperParameters);
    }

    /** A null model computes nothing from its inputs: there is nothing to read. */
    @Override
    public Record preprocessing(ModelSpec spec) {
        return new ModelFamily.Untyped(spec.preprocessing());
    }
}
