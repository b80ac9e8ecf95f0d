package io.attnstream.traffic.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The traffic forecaster as a model directory: its kind, tensor contract and preprocessing (sensor
 * order, normalisation, step, missing-value rule, plausible speed range), read back by the
 * evaluator and the stream.
 */
public final class TrafficModels {
    public static final String KIND = "traffic-forecaster";

    /**
     * The largest training speed is multiplied by this to bound what the stream's validator
     * accepts.
     */
    public static final double MAX_SPEED_FACTOR = 1.5;

    private TrafficModels() {}

    /**
     * The model.json of a traffic forecaster built from this block.
     *
     * @param sensorIds the sensors in the model's column order (N of them)
     * @param maxSpeedMph the largest plausible speed (largest training speed x {@link
     *     #MAX_SPEED_FACTOR})
     */
    public static ModelSpec spec(
            String name,
            String version,
            TrafficForecasterBlock block,
            WindowEncoder.Normalisation normalisation,
            List<String> sensorIds,
            long stepSeconds,
            boolean zeroIsMissing,
            double maxSpeedMph,
            Map<String, Object> trainingData,
            Map<String, Object> metrics) {
        long t = block.getInputSteps();
        long n = block.getSensors();
        long h = block.getHorizon();
        if (sensorIds.size() != n) {
            throw new IllegalArgumentException(
                    sensorIds.size() + " sensor ids for a block of " + n + " sensors");
        }
        TrafficPreprocessing preprocessing =
                new TrafficPreprocessing(
                        sensorIds,
                        normalisation,
                        stepSeconds,
                        block.getInputSteps(),
                        block.getHorizon(),
                        zeroIsMissing,
                        maxSpeedMph);
        return new ModelSpec(
                name,
                version,
                KIND,
                block.hyperParameters(),
                List.of(
                        new ModelSpec.TensorSpec("speeds", "float32", new long[] {-1, t, n}),
                        new ModelSpec.TensorSpec("observed", "float32", new long[] {-1, t, n}),
                        new ModelSpec.TensorSpec("calendar", "float32", new long[] {-1, t, 2})),
                List.of(
                        new ModelSpec.TensorSpec("forecast", "float32", new long[] {-1, h, n}),
                        new ModelSpec.TensorSpec(
                                "temporal_attention", "float32", new long[] {-1, n, t}),
                        new ModelSpec.TensorSpec(
                                "spatial_attention", "float32", new long[] {-1, n, n})),
                preprocessing.toMap(),
                trainingData,
                metrics,
                null,
                null);
    }

    /**
     * An untrained forecaster with random weights, sensors "s0".."s{N-1}", a chain adjacency
     * (sensor i next to i-1 and i+1), a 5-minute step and a made-up normalisation: the benchmark's
     * stand-in, so speed can be measured before (and independently of) training.
     */
    public static Path writeUntrained(
            Path dir,
            String name,
            String version,
            int sensors,
            int inputSteps,
            int horizon,
            int modelSize,
            int heads,
            int seed) {
        float[][] chain = new float[sensors][sensors];
        for (int i = 0; i + 1 < sensors; i++) {
            chain[i][i + 1] = 1;
            chain[i + 1][i] = 1;
        }
        List<String> ids = new ArrayList<>(sensors);
        for (int i = 0; i < sensors; i++) {
            ids.add("s" + i);
        }
        return writeUntrained(
                dir, name, version, ids, chain, inputSteps, horizon, modelSize, heads, seed);
    }

    /**
     * As above for the given sensors and adjacency (e.g. a simulated network's), so its readings
     * validate.
     */
    public static Path writeUntrained(
            Path dir,
            String name,
            String version,
            List<String> sensorIds,
            float[][] adjacency,
            int inputSteps,
            int horizon,
            int modelSize,
            int heads,
            int seed) {
        return writeUntrained(
                dir,
                name,
                version,
                sensorIds,
                adjacency,
                new WindowEncoder.Normalisation(55f, 12f),
                inputSteps,
                horizon,
                modelSize,
                heads,
                seed);
    }

    /** As above with the given normalisation (a retrained version's, say). */
    public static Path writeUntrained(
            Path dir,
            String name,
            String version,
            List<String> sensorIds,
            float[][] adjacency,
            WindowEncoder.Normalisation normalisation,
            int inputSteps,
            int horizon,
            int modelSize,
            int heads,
            int seed) {
        int sensors = sensorIds.size();
        TrafficForecasterBlock block =
                TrafficForecasterBlock.builder()
                        .setSensors(sensors)
                        .setInputSteps(inputSteps)
                        .setHorizon(horizon)
                        .optModelSize(modelSize)
                        .optHeads(heads)
                        .optAdjacency(adjacency)
                        .build();
        try (Model model = Model.newInstance(name)) {
            Engine.getInstance().setRandomSeed(seed);
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(),
                    DataType.FLOAT32,
                    new Shape(1, inputSteps, sensors),
                    new Shape(1, inputSteps, sensors),
                    new Shape(1, inputSteps, 2));
            Map<String, Object> trainingData =
                    Map.of(
                            "fingerprint",
                            "none",
                            "description",
                            "untrained stand-in (random weights)");
            return ModelStore.save(
                    model,
                    spec(
                            name,
                            version,
                            block,
                            normalisation,
                            sensorIds,
                            300,
                            true,
                            100.0,
                            trainingData,
                            Map.of()),
                    dir);
        }
    }
}
