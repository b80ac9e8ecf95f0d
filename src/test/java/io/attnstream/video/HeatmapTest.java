package io.attnstream.video;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HeatmapTest {
    @Test
    void resizingKeepsAConstantMapConstant() {
        float[] up = new Heatmap(3, 2, new float[] {0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f}).resize(17, 11);
        for (float v : up) {
            assertThat(v).isCloseTo(0.4f, within(1e-6f));
        }
    }

    @Test
    void resizingInterpolatesBetweenCellCentres() {
        // Two cells, 0 and 1, to 4 pixels: centres of the output fall at -0.25, 0.25, 0.75, 1.25 in cell units.
        float[] up = new Heatmap(2, 1, new float[] {0f, 1f}).resize(4, 1);
        assertThat(up).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(1e-6f));
        // Downsampling 4 -> 2 averages neighbours at the new centres.
        float[] down = new Heatmap(4, 1, new float[] {0f, 1f, 1f, 0f}).resize(2, 1);
        assertThat(down).containsExactly(new float[] {0.5f, 0.5f}, within(1e-6f));
        // Out-of-range values are clamped, NaN counts as 0.
        float[] clamped = new Heatmap(2, 1, new float[] {Float.NaN, 3f}).resize(2, 1);
        assertThat(clamped).containsExactly(0f, 1f);
    }

    @Test
    void theSizeMustMatchTheValues() {
        assertThatThrownBy(() -> new Heatmap(3, 3, new float[8])).isInstanceOf(IllegalArgumentException.class);
    }
}
