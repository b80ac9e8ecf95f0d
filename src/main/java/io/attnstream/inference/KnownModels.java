package io.attnstream.inference;

import io.attnstream.clicks.SequenceModels;
import io.attnstream.nn.SequenceRecommenderBlock;

/** The model kinds this build can load. */
final class KnownModels {
    private KnownModels() {}

    static void registerAll() {
        BlockFactories.register(SequenceModels.KIND, SequenceRecommenderBlock::fromHyperParameters);
        BlockFactories.register(io.attnstream.traffic.TrafficModels.KIND, io.attnstream.traffic.TrafficForecasterBlock::fromHyperParameters);
        BlockFactories.register(io.attnstream.video.SegmentationModels.KIND, io.attnstream.nn.AttentionUNetBlock::fromHyperParameters);
        // The benchmarks' null model: constant outputs of a real model's shapes (bench/NullModels).
        BlockFactories.register(io.attnstream.nn.ConstantOutputsBlock.KIND, io.attnstream.nn.ConstantOutputsBlock::fromHyperParameters);
    }
}
