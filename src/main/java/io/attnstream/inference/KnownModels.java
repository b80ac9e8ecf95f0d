package io.attnstream.inference;

/** The model kinds this build can load. */
final class KnownModels {
    private KnownModels() {}

    static void registerAll() {
        // Registered as the model families land (sequence recommender, traffic forecaster, segmentation).
    }
}
