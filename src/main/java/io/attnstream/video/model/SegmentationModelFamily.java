package io.attnstream.video.model;

import ai.djl.nn.Block;
import io.attnstream.inference.ModelFamily;
import io.attnstream.inference.ModelSpec;
import java.util.Map;

/** The video pipeline's model family: the attention U-Net segmenter. */
public final class SegmentationModelFamily implements ModelFamily {
    @Override
    public String kind() {
        return SegmentationModels.KIND;
    }

    @Override
    public Block block(Map<String, Object> hyperParameters) {
        return AttentionUNetBlock.fromHyperParameters(hyperParameters);
    }

    @Override
    public SegmentationPreprocessing preprocessing(ModelSpec spec) {
        return SegmentationPreprocessing.of(spec);
    }
}
