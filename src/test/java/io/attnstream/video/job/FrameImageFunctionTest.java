package io.attnstream.video.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.RgbImage;
import io.attnstream.video.sim.CraftedImages;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The picture-decoding operator in Flink's harness: good frames shrink to the model's size, bad
 * ones are dead letters.
 */
class FrameImageFunctionTest {
    private OneInputStreamOperatorTestHarness<Sourced<CameraFrame>, FrameRequest> harness;
    private final StreetSceneGenerator generator = new StreetSceneGenerator(11);

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new FrameImageFunction(
                                "video",
                                new FrameLimits(100_000, 1_000_000),
                                32,
                                24,
                                OutputSize.parse("20x10")));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private List<DeadLetter> deadLetters() {
        var queue = harness.getSideOutput(DeadLetters.TAG);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    private static Sourced<CameraFrame> sourced(CameraFrame f, long offset) {
        return new Sourced<>(f, "video.frames", 1, offset);
    }

    private static CameraFrame frame(FrameEncoding encoding, byte[] data, int w, int h) {
        return CameraFrame.newBuilder()
                .setCameraId("cam-1")
                .setFrameSeq(7)
                .setEventTime(Instant.ofEpochMilli(5_000))
                .setWidth(w)
                .setHeight(h)
                .setEncoding(encoding)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    @Test
    void aGoodFrameIsShrunkToTheModelsInputWithItsOwnSizeAndTheRequestedMaskSize()
            throws Exception {
        BufferedImage image = generator.render(1, 7, 64, 48).image();
        harness.processElement(
                sourced(frame(FrameEncoding.PNG, FrameEncoder.png(image), 64, 48), 42), 1_234L);

        List<FrameRequest> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        FrameRequest r = out.get(0);
        assertThat(r.cameraId).isEqualTo("cam-1");
        assertThat(r.frameSeq).isEqualTo(7);
        assertThat(r.eventTime).isEqualTo(5_000);
        assertThat(r.recordTimestamp).isEqualTo(1_234L);
        assertThat(r.lineage().getOffset()).isEqualTo(42L);
        assertThat(r.frameWidth).isEqualTo(64);
        assertThat(r.frameHeight).isEqualTo(48);
        assertThat(r.outputWidth).isEqualTo(20);
        assertThat(r.outputHeight).isEqualTo(10);
        // exactly the frame the trainer's and the evaluator's resizer would feed the model
        assertThat(r.rgb).isEqualTo(ImageResizer.bilinear(RgbImage.of(image), 32, 24).rgb());
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void badPicturesAreDeadLettersNamingTheReasonAndTheJobGoesOn() throws Exception {
        byte[] png = FrameEncoder.png(generator.render(1, 0, 40, 30).image());
        harness.processElement(
                sourced(
                        frame(
                                FrameEncoding.PNG,
                                CraftedImages.pngClaiming(50_000, 50_000),
                                50_000,
                                50_000),
                        1),
                0L);
        harness.processElement(
                sourced(frame(FrameEncoding.PNG, Arrays.copyOf(png, png.length - 20), 40, 30), 2),
                0L);
        harness.processElement(sourced(frame(FrameEncoding.JPEG, png, 40, 30), 3), 0L);
        harness.processElement(sourced(frame(FrameEncoding.PNG, new byte[100_001], 40, 30), 4), 0L);
        harness.processElement(sourced(frame(FrameEncoding.PNG, png, 41, 30), 5), 0L);
        harness.processElement(sourced(frame(FrameEncoding.PNG, png, 40, 30), 6), 0L);

        assertThat(harness.extractOutputValues()).hasSize(1);
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).extracting(DeadLetter::getStage).containsOnly(FailureStage.DECODE);
        assertThat(dead)
                .extracting(DeadLetter::getSourceOffset)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(dead)
                .extracting(d -> d.getReason().substring(0, d.getReason().indexOf(':')))
                .containsExactly(
                        "TOO_MANY_PIXELS",
                        "TRUNCATED",
                        "WRONG_ENCODING",
                        "TOO_MANY_BYTES",
                        "SIZE_MISMATCH");
        assertThat(dead.get(0).getReason()).contains("50000 x 50000");
        assertThat(dead.get(0).getPayload())
                .as("the frame record, re-encoded, so nothing is lost")
                .isNotNull();
    }
}
