package io.attnstream.video.job;

import static io.attnstream.video.VideoFixtures.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CameraFrameValidatorTest {
    private final CameraFrameValidator validator = new CameraFrameValidator();

    private static CameraFrame good() {
        return frame(FrameEncoding.PNG, 4, 3, new byte[] {1, 2, 3});
    }

    @Test
    void aWellFormedFramePasses() {
        assertThat(validator.problem(good())).isEmpty();
    }

    @Test
    void eachBadFieldIsNamed() {
        CameraFrame f = good();
        f.setCameraId(" ");
        assertThat(validator.problem(f)).contains("camera_id is empty");
        f = good();
        f.setCameraId("cam\u0007");
        assertThat(validator.problem(f)).contains("camera_id contains control characters");
        f = good();
        f.setCameraId("c".repeat(300));
        assertThat(validator.problem(f)).contains("camera_id is 300 characters, more than 256");
        f = good();
        f.setFrameSeq(-1L);
        assertThat(validator.problem(f)).contains("frame_seq -1 is negative");
        f = good();
        f.setEventTime(Instant.EPOCH);
        assertThat(validator.problem(f))
                .contains("event_time 1970-01-01T00:00:00Z is not after 1970");
        f = good();
        f.setWidth(0);
        assertThat(validator.problem(f)).contains("frame size 0 x 3 is not positive");
        f = good();
        f.setHeight(-2);
        assertThat(validator.problem(f)).contains("frame size 4 x -2 is not positive");
        f = good();
        f.setData(ByteBuffer.allocate(0));
        assertThat(validator.problem(f)).contains("data is empty");
    }
}
