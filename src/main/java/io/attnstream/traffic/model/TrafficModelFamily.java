package io.attnstream.traffic.model;

import ai.djl.nn.Block;
import io.attnstream.inference.ModelFamily;
import io.attnstream.inference.ModelSpec;
import java.util.Map;

/** The traffic pipeline's model family: the spatio-temporal attention forecaster. */
public final class TrafficModelFamily implements ModelFamily {
    @Override
    public String kind() {
        return TrafficModels.KIND;
    }

    @Override
    public Block block(Map<String, Object> hyperParameters) {
        return TrafficForecasterBlock.fromHyperParameters(hyperParameters);
    }

    @Override
    public TrafficPreprocessing preprocessing(ModelSpec spec) {
        return TrafficPreprocessing.of(spec);
    }
}
