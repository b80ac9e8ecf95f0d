package io.attnstream.video.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.video.model.AttentionLevels;
import org.junit.jupiter.api.Test;

class AttentionMapTest {
    @Test
    void resizingKeepsAConstantMapConstant() {
        float[] up =
                new AttentionMap(3, 2, new float[] {0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f})
                        .resize(17, 11);
        for (float v : up) {
            assertThat(v).isCloseTo(0.4f, within(1e-6f));
        }
    }

    @Test
    void resizingInterpolatesBetweenCellCentres() {
        // Two cells, 0 and 1, to 4 pixels: centres of the output fall at -0.25, 0.25, 0.75, 1.25 in
        // cell units.
        float[] up = new AttentionMap(2, 1, new float[] {0f, 1f}).resize(4, 1);
        assertThat(up).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(1e-6f));
        // Downsampling 4 -> 2 averages neighbours at the new centres.
        float[] down = new AttentionMap(4, 1, new float[] {0f, 1f, 1f, 0f}).resize(2, 1);
        assertThat(down).containsExactly(new float[] {0.5f, 0.5f}, within(1e-6f));
        // Out-of-range values are clamped, NaN counts as 0.
        float[] clamped = new AttentionMap(2, 1, new float[] {Float.NaN, 3f}).resize(2, 1);
        assertThat(clamped).containsExactly(0f, 1f);
    }

    @Test
    void theSizeMustMatchTheValuesAndBePositive() {
        assertThatThrownBy(() -> new AttentionMap(3, 3, new float[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a 3 x 3 map has 9 values, got 8");
        assertThatThrownBy(() -> new AttentionMap(0, 2, new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFlinkCarrierHoldsTheMapsOwnLevelsAndWeights() {
        AttentionMap map = new AttentionMap(3, 2, new float[] {0f, 0.5f, 1f, Float.NaN, -1f, 0.2f});

        AttentionLevels levels = AttentionLevels.of("gate-0", map);

        assertThat(levels.width).isEqualTo(3);
        assertThat(levels.height).isEqualTo(2);
        assertThat(levels.levels).containsExactly(0, 128, 255, 0, 0, 51);
        assertThat(levels.weights()).containsExactly(0f, 128 / 255f, 1f, 0f, 0f, 51 / 255f);
        assertThat(levels.weights())
                .isEqualTo(AttentionMap.fromBytes(3, 2, map.toBytes()).values());
    }
}
