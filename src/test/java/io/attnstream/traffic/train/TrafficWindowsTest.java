package io.attnstream.traffic.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.DjlEngine;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.model.MaskedMae;
import io.attnstream.traffic.model.WindowEncoder;
import io.attnstream.traffic.model.WindowEncoder.Normalisation;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficWindowsTest {
    private static final float NAN = Float.NaN;
    private static final Normalisation NORM = new Normalisation(50, 10);

    /**
     * 8 rows of 2 sensors; rows 5 and 6 are missing entirely. Sensor 0 reads 50 + row, sensor 1
     * reads 60.
     */
    private static SpeedMatrix matrix() {
        float[][] rows = new float[8][];
        for (int t = 0; t < 8; t++) {
            rows[t] = t == 5 || t == 6 ? new float[] {NAN, NAN} : new float[] {50 + t, 60};
        }
        return new SpeedMatrix(List.of("a", "b"), rows);
    }

    @Test
    void slidingWindowsSkipThoseWhoseTargetsAreAllMissing() {
        // T = 2, H = 2: windows start at rows 0..4; targets of start 3 are rows 5 and 6, all
        // missing
        TrafficWindows windows =
                new TrafficWindows(
                        matrix(), 1_000_000L, new WindowEncoder(NORM, 2, 2, 300, true), 2);
        assertThat(windows.size()).isEqualTo(4);
        assertThat(
                        new int[] {
                            windows.start(0), windows.start(1), windows.start(2), windows.start(3)
                        })
                .containsExactly(0, 1, 2, 4);
        assertThat(windows.firstStepEpochMillis(3)).isEqualTo(1_000_000L + 4 * 300_000L);
        assertThat(windows.input(1)[0]).containsExactly(51f, 60f);
    }

    @Test
    void batchHoldsInputsMaskedTargetsAndTheirMphValues() {
        TrafficWindows windows =
                new TrafficWindows(matrix(), 0L, new WindowEncoder(NORM, 2, 2, 300, true), 2);
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            // windows 2 (start 2: targets rows 4, 5) and 0 (start 0: targets rows 2, 3), in that
            // order
            TrafficWindows.Batch batch = windows.batch(manager, new int[] {2, 0, 1}, 0, 2);
            assertThat(batch.size()).isEqualTo(2);
            assertThat(batch.inputs().getShapes())
                    .containsExactly(new Shape(2, 2, 2), new Shape(2, 2, 2), new Shape(2, 2, 2));
            assertThat(batch.inputs().get(0).toFloatArray())
                    .containsExactly(0.2f, 1f, 0.3f, 1f, 0f, 1f, 0.1f, 1f);
            NDList labels = batch.labels();
            assertThat(labels.getShapes()).containsExactly(new Shape(2, 2, 2), new Shape(2, 2, 2));
            float[] target = labels.get(0).toFloatArray();
            float[] expected = {0.4f, 1f, 0f, 0f, 0.2f, 1f, 0.3f, 1f};
            for (int i = 0; i < expected.length; i++) {
                assertThat(target[i]).as("target %d", i).isCloseTo(expected[i], within(1e-6f));
            }
            assertThat(labels.get(1).toFloatArray())
                    .containsExactly(1f, 1f, 0f, 0f, 1f, 1f, 1f, 1f);
            assertThat(batch.targetMph()).containsExactly(54f, 60f, NAN, NAN, 52f, 60f, 53f, 60f);
            assertThat(batch.observedTargets()).isEqualTo(6);
        }
    }

    @Test
    void maskedMaeAveragesOnlyTheObservedTargets() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            Shape shape = new Shape(1, 2, 2); // (B, H, N)
            NDList labels =
                    new NDList(
                            manager.create(new float[] {1, 2, 0, 4}, shape),
                            manager.create(new float[] {1, 1, 0, 1}, shape));
            NDList predictions = new NDList(manager.create(new float[] {2, 2, 100, 1}, shape));
            float loss = new MaskedMae().evaluate(labels, predictions).getFloat();
            assertThat(loss).isCloseTo((1 + 0 + 3) / 3f, within(1e-6f));
        }
    }
}
