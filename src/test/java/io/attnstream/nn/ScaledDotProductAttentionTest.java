package io.attnstream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.DjlEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScaledDotProductAttentionTest {
    private static final float EPS = 1e-6f;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** (1, 1, 2, 2) queries, distinct rows. */
    private NDArray queries() {
        return manager.create(new float[] {1, 0, 0.5f, -2}, new Shape(1, 1, 2, 2));
    }

    /** (1, 1, 3, 2) values with column means (3, 20). */
    private NDArray values() {
        return manager.create(new float[] {1, 10, 2, 20, 6, 30}, new Shape(1, 1, 3, 2));
    }

    private NDArray identicalKeys() {
        return manager.create(
                new float[] {0.3f, -0.7f, 0.3f, -0.7f, 0.3f, -0.7f}, new Shape(1, 1, 3, 2));
    }

    @Test
    void identicalKeysGiveUniformWeightsAndMeanOfValues() {
        NDList result = ScaledDotProductAttention.apply(queries(), identicalKeys(), values(), null);

        float third = 1f / 3;
        assertThat(result.get(1).toFloatArray())
                .containsExactly(
                        new float[] {third, third, third, third, third, third}, within(EPS));
        assertThat(result.get(0).toFloatArray())
                .containsExactly(new float[] {3, 20, 3, 20}, within(1e-5f));
    }

    @Test
    void outputAndWeightShapesAreBHTqDhAndBHTqTk() {
        NDArray q = manager.randomNormal(new Shape(2, 4, 5, 8));
        NDArray k = manager.randomNormal(new Shape(2, 4, 7, 8));
        NDArray v = manager.randomNormal(new Shape(2, 4, 7, 8));

        NDList result = ScaledDotProductAttention.apply(q, k, v, null);

        assertThat(result).hasSize(2);
        assertThat(result.get(0).getShape()).isEqualTo(new Shape(2, 4, 5, 8));
        assertThat(result.get(1).getShape()).isEqualTo(new Shape(2, 4, 5, 7));
        float[] rowSums = result.get(1).sum(new int[] {-1}).toFloatArray();
        assertThat(rowSums).hasSize(2 * 4 * 5).containsOnly(new float[] {1f}, within(1e-5f));
    }

    @Test
    void scoresAreScaledBySqrtOfHeadSize() {
        // q.k = 4 for key 0 and 0 for key 1, Dh = 4: scaled scores 2 and 0 -> softmax (e^2, 1) /
        // (e^2 + 1)
        NDArray q = manager.create(new float[] {1, 1, 1, 1}, new Shape(1, 1, 1, 4));
        NDArray k = manager.create(new float[] {1, 1, 1, 1, 0, 0, 0, 0}, new Shape(1, 1, 2, 4));
        NDArray v = manager.create(new float[] {1, 0}, new Shape(1, 1, 2, 1));

        float[] w = ScaledDotProductAttention.apply(q, k, v, null).get(1).toFloatArray();

        double e2 = Math.exp(2);
        assertThat(w)
                .containsExactly(
                        new float[] {(float) (e2 / (e2 + 1)), (float) (1 / (e2 + 1))}, within(EPS));
    }

    @Test
    void maskedKeyGetsZeroWeightAndRowsStillSumToOne() {
        NDArray keys = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(1, 1, 3, 2));
        NDArray bias =
                manager.create(
                        new float[] {0, ScaledDotProductAttention.MASKED, 0},
                        new Shape(1, 1, 1, 3));

        NDList result = ScaledDotProductAttention.apply(queries(), keys, values(), bias);

        float[] w = result.get(1).toFloatArray(); // (1, 1, 2, 3)
        for (int row = 0; row < 2; row++) {
            assertThat(w[row * 3 + 1]).as("masked key, query %d", row).isCloseTo(0f, within(EPS));
            assertThat(w[row * 3] + w[row * 3 + 1] + w[row * 3 + 2])
                    .as("row %d sum", row)
                    .isCloseTo(1f, within(EPS));
        }
        // the output ignores the masked value row (2, 20): with query 0 = (1, 0), scores are
        // 1/sqrt2 for keys 0 and 2
        assertThat(w[0]).isCloseTo(0.5f, within(EPS));
        assertThat(w[2]).isCloseTo(0.5f, within(EPS));
        assertThat(new float[] {result.get(0).toFloatArray()[0], result.get(0).toFloatArray()[1]})
                .containsExactly(new float[] {3.5f, 20f}, within(1e-5f));
    }

    @Test
    void fullyMaskedRowGivesUniformWeightsNotNaN() {
        NDArray keys = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(1, 1, 3, 2));
        // query 0 keeps every key, query 1 (a padding position) masks all of them
        NDArray bias =
                manager.create(
                        new float[] {
                            0,
                            0,
                            0,
                            ScaledDotProductAttention.MASKED,
                            ScaledDotProductAttention.MASKED,
                            ScaledDotProductAttention.MASKED
                        },
                        new Shape(1, 1, 2, 3));

        NDList result = ScaledDotProductAttention.apply(queries(), keys, values(), bias);

        float[] w = result.get(1).toFloatArray();
        float[] out = result.get(0).toFloatArray();
        assertThat(w).doesNotContain(Float.NaN);
        assertThat(out).doesNotContain(Float.NaN);
        float third = 1f / 3;
        assertThat(new float[] {w[3], w[4], w[5]})
                .containsExactly(new float[] {third, third, third}, within(EPS));
        assertThat(new float[] {out[2], out[3]})
                .containsExactly(new float[] {3, 20}, within(1e-5f));
    }

    @Test
    void weightDropoutActsOnlyWhenTrainingAndTheReturnedWeightsAreBeforeIt() {
        NDArray q = manager.randomNormal(new Shape(2, 2, 6, 4));
        NDArray k = manager.randomNormal(new Shape(2, 2, 6, 4));
        NDArray v = manager.randomNormal(new Shape(2, 2, 6, 4));
        NDList plain = ScaledDotProductAttention.apply(q, k, v, null);

        NDList inference = ScaledDotProductAttention.apply(q, k, v, null, 0.5f, false);
        NDList training = ScaledDotProductAttention.apply(q, k, v, null, 0.5f, true);

        assertThat(inference.get(0).toFloatArray()).containsExactly(plain.get(0).toFloatArray());
        assertThat(training.get(1).toFloatArray()).containsExactly(plain.get(1).toFloatArray());
        assertThat(training.get(0).toFloatArray()).isNotEqualTo(plain.get(0).toFloatArray());
    }
}
