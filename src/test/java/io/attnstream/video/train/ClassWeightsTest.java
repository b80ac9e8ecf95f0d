package io.attnstream.video.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassWeightsTest {
    private static SegmentationSample labels(int... classes) {
        byte[] bytes = new byte[classes.length];
        for (int i = 0; i < classes.length; i++) {
            bytes[i] = (byte) classes[i];
        }
        return new SegmentationSample(
                "s",
                new RgbImage(classes.length, 1, new byte[3 * classes.length]),
                new LabelMap(classes.length, 1, bytes));
    }

    @Test
    void weighsEachClassByTheMedianFrequencyOverItsOwn() {
        // frame 1: 6 labelled pixels (void aside): class 0 x4, class 1 x2; frame 2: 4 pixels: class
        // 0 x1, class 2 x3
        List<SegmentationSample> samples =
                List.of(labels(0, 0, 0, 0, 1, 1, 11, 11), labels(0, 2, 2, 2));

        float[] weights = ClassWeights.medianFrequency(samples, 4, 11);

        // freq(0) = 5 / 10, freq(1) = 2 / 6, freq(2) = 3 / 4; median 0.5; class 3 never occurs
        assertThat(weights).containsExactly(new float[] {1f, 1.5f, 2f / 3, 1f}, within(1e-6f));
    }

    @Test
    void anEvenNumberOfClassesTakesTheMeanOfTheMiddleTwo() {
        float[] weights = ClassWeights.medianFrequency(List.of(labels(0, 0, 0, 1)), 2, 11);

        // freq 0.75 and 0.25, median 0.5
        assertThat(weights).containsExactly(new float[] {2f / 3, 2f}, within(1e-6f));
    }

    @Test
    void anExponentSoftensTheWeightsAndZeroWeighsEveryClassOne() {
        List<SegmentationSample> samples =
                List.of(labels(0, 0, 0, 0, 1, 1, 11, 11), labels(0, 2, 2, 2));

        // the full weights are 1, 1.5, 2/3 and 1 (see above)
        assertThat(ClassWeights.medianFrequency(samples, 4, 11, 0.5))
                .containsExactly(
                        new float[] {1f, (float) Math.sqrt(1.5), (float) Math.sqrt(2.0 / 3), 1f},
                        within(1e-6f));
        assertThat(ClassWeights.medianFrequency(samples, 4, 11, 1))
                .containsExactly(ClassWeights.medianFrequency(samples, 4, 11), within(0f));
        assertThat(ClassWeights.medianFrequency(samples, 4, 11, 0)).containsExactly(1f, 1f, 1f, 1f);
    }

    @Test
    void anExponentOutsideZeroToOneIsRejected() {
        List<SegmentationSample> samples = List.of(labels(0, 1));

        assertThatThrownBy(() -> ClassWeights.medianFrequency(samples, 2, 11, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the class weights' exponent must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> ClassWeights.medianFrequency(samples, 2, 11, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
