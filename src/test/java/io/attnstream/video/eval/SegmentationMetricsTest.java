package io.attnstream.video.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.video.image.LabelMap;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {
    private static final int VOID = 11;

    private static LabelMap map(int... classes) {
        byte[] bytes = new byte[classes.length];
        for (int i = 0; i < classes.length; i++) {
            bytes[i] = (byte) classes[i];
        }
        return new LabelMap(classes.length, 1, bytes);
    }

    @Test
    void countsTheConfusionMatrixAndReadsIouAndAccuraciesFromIt() {
        SegmentationMetrics metrics = new SegmentationMetrics(4, VOID);

        metrics.add(map(0, 0, 0, 1, 1, 2, VOID, VOID), map(0, 0, 1, 1, 2, 2, 3, 0));
        metrics.add(map(2, 2), map(2, 0));

        // truth x prediction: 0->0 x2, 0->1, 1->1, 1->2, 2->2 x2, 2->0; the void pixels are not
        // counted
        assertThat(metrics.confusion())
                .isDeepEqualTo(
                        new long[][] {{2, 1, 0, 0}, {0, 1, 1, 0}, {1, 0, 2, 0}, {0, 0, 0, 0}});
        assertThat(metrics.pixels()).isEqualTo(8);
        double[] iou = metrics.iou();
        assertThat(iou[0]).isCloseTo(2.0 / (3 + 3 - 2), within(1e-12)); // TP 2, row 3, column 3
        assertThat(iou[1]).isCloseTo(1.0 / (2 + 2 - 1), within(1e-12));
        assertThat(iou[2]).isCloseTo(2.0 / (3 + 3 - 2), within(1e-12));
        assertThat(iou[3]).as("class 3 neither present nor predicted").isNaN();
        assertThat(metrics.meanIou()).isCloseTo((0.5 + 1.0 / 3 + 0.5) / 3, within(1e-12));
        assertThat(metrics.classesScored()).isEqualTo(3);
        assertThat(metrics.pixelAccuracy()).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(metrics.meanClassAccuracy())
                .isCloseTo((2.0 / 3 + 0.5 + 2.0 / 3) / 3, within(1e-12));
    }

    @Test
    void aClassPredictedButAbsentScoresZero() {
        SegmentationMetrics metrics = new SegmentationMetrics(2, VOID);

        metrics.add(map(0, 0), map(0, 1));

        assertThat(metrics.iou()).containsExactly(0.5, 0.0);
        assertThat(metrics.meanIou()).isEqualTo(0.25);
        assertThat(metrics.classAccuracy()[1]).isNaN();
    }

    @Test
    void emptyMetricsAreNaNAndMismatchedSizesAreRejected() {
        SegmentationMetrics metrics = new SegmentationMetrics(2, VOID);

        assertThat(metrics.meanIou()).isNaN();
        assertThat(metrics.pixelAccuracy()).isNaN();
        assertThatThrownBy(() -> metrics.add(map(0, 0), map(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction 1 x 1 for labels 2 x 1");
        assertThatThrownBy(() -> metrics.add(map(0), map(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class 5 is outside 0..1 (void 11)");
    }
}
