package io.attnstream.video.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SegmentationTrainingProgressTest {
    private static final String NL = System.lineSeparator();

    @Test
    void consoleCountsFramesThenPrintsOneLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentationTrainingProgress console =
                SegmentationTrainingProgress.console(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        console.started(40, 8, 123456);
        console.batch(3, 100, 10, 10, 0.9);
        console.epoch(
                new SegmentationTrainingProgress.EpochSummary(
                        3, 100, 0.91204, 0.41234, 0.80312, 9.8e-4f, 10, 71.04, true));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "training on 40 frames, validating on 8, 123456 parameters"
                                + NL
                                + "\r"
                                + "epoch 3/100  loss 0.9120  val mIoU 41.2 %  pixel acc. 80.3 %  lr"
                                + " 9.8e-04  71.0 s  *"
                                + NL);
    }
}
