package io.attnstream.traffic.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A window named by sensor id through one forecaster version, without a model: the version takes
 * its own sensors in its own order, NaN for those the window lacks, and counts the window's sensors
 * it does not know.
 */
class TrafficTranslatorTest {
    private static final TrafficPreprocessing V1 =
            new TrafficPreprocessing(
                    List.of("a", "b", "c"),
                    new WindowEncoder.Normalisation(50, 10),
                    300,
                    2,
                    1,
                    false,
                    120);

    /** The aligner's columns: c, x (no model's), a; (T, N) = 2 x 3. */
    private static TrafficWindow window() {
        TrafficWindow w = new TrafficWindow();
        w.networkId = "n";
        w.eventTime = 600_000;
        w.stepSeconds = 300;
        w.sensors = 3;
        w.sensorIds = new String[] {"c", "x", "a"};
        w.speeds = new float[] {30, 99, 10, 31, 98, 11};
        return w;
    }

    @Test
    void theVersionTakesItsSensorsInItsOrderByIdNaNWhereTheWindowHasNone() {
        float[][] rows = TrafficTranslator.forModel(V1, 2).rows(window());
        assertThat(rows[0]).containsExactly(10f, Float.NaN, 30f);
        assertThat(rows[1]).containsExactly(11f, Float.NaN, 31f);
    }

    @Test
    void predictionsNameTheVersionsSensorsAndCountTheOnesItDoesNotKnow() {
        TrafficTranslator t = TrafficTranslator.forModel(V1, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDList outputs =
                    new NDList(
                            m.zeros(new Shape(1, 1, 3)), // forecast (B, H, N), normalised
                            m.ones(new Shape(1, 3, 2)).div(2), // temporal (B, N, T)
                            m.eye(3).reshape(1, 3, 3)); // spatial (B, N, N)
            TrafficPrediction p = t.fromTensors(outputs, List.of(window())).get(0);
            assertThat(p.sensorIds).containsExactly("a", "b", "c");
            assertThat(p.unknownSensors).as("x").isEqualTo(1);
            assertThat(p.imputed).as("b has no reading in the window").containsExactly(0, 2, 0);
            assertThat(p.speeds).as("z = 0 is the version's mean").containsExactly(50f, 50f, 50f);
        }
    }

    @Test
    void versionsOfOneJobShareTHAndTheStepButNotTheSensorsOrTheNormalisation() {
        var factory = TrafficTranslator.factory(3);
        var retrained =
                new TrafficPreprocessing(
                        List.of("a", "b", "c", "d"),
                        new WindowEncoder.Normalisation(48, 12),
                        300,
                        2,
                        1,
                        false,
                        120);
        var longer =
                new TrafficPreprocessing(
                        List.of("a"),
                        new WindowEncoder.Normalisation(48, 12),
                        300,
                        4,
                        1,
                        false,
                        120);
        assertThat(factory.contract(spec(retrained))).isEqualTo(factory.contract(spec(V1)));
        assertThat(factory.contract(spec(longer))).isNotEqualTo(factory.contract(spec(V1)));
        assertThat(factory.contract(spec(longer)).toString())
                .isEqualTo(
                        "kind traffic-forecaster, T 4, H 1, step 300 s, outputs [forecast/3,"
                                + " temporal_attention/3, spatial_attention/3]");
    }

    private static ModelSpec spec(TrafficPreprocessing p) {
        return new ModelSpec(
                "tf",
                "1",
                TrafficModels.KIND,
                Map.of(),
                List.of(),
                List.of(
                        new ModelSpec.TensorSpec("forecast", "float32", new long[] {-1, 1, 3}),
                        new ModelSpec.TensorSpec(
                                "temporal_attention", "float32", new long[] {-1, 3, 2}),
                        new ModelSpec.TensorSpec(
                                "spatial_attention", "float32", new long[] {-1, 3, 3})),
                p.toMap(),
                null,
                null,
                null,
                null);
    }
}
