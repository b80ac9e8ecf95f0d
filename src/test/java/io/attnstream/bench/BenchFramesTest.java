package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.image.RgbImage;
import io.attnstream.video.sim.CameraFrameStream;
import io.attnstream.video.sim.FrameFaults;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class BenchFramesTest {
    private static final AvroCodec<CameraFrame> CODEC = AvroCodec.of(CameraFrame.class);
    private static final BenchFrames POOL =
            new BenchFrames(new StreetSceneGenerator(3), 3, 2, 40, 30, FrameEncoding.JPEG, 16, 8);

    /** Every record a stream over the feed sends, all due at once (as the benchmark's backlog). */
    private static List<CameraFrame> sendAll(CameraFrameStream s, int max) throws IOException {
        List<CameraFrame> out = new ArrayList<>();
        long now = 1_700_000_000_000L;
        while (out.size() < max) {
            Optional<ProducerRecord<byte[], byte[]>> r = s.next(Math.max(now, s.dueAtMillis(now)));
            if (r.isEmpty()) {
                break;
            }
            out.add(CODEC.decode(r.get().value()));
        }
        return out;
    }

    @Test
    void aFeedOfNFramesSendsExactlyNCameraAfterCamera() throws IOException {
        List<CameraFrame> frames =
                sendAll(new CameraFrameStream(POOL.feed(8), "t", 1e9, FrameFaults.none()), 100);

        // 8 frames over 3 cameras: cameras 0 and 1 send frames 0..2, camera 2 frames 0..1
        assertThat(frames)
                .extracting(f -> f.getCameraId() + "#" + f.getFrameSeq())
                .containsExactly(
                        "cam-0#0", "cam-1#0", "cam-2#0", "cam-0#1", "cam-1#1", "cam-2#1", "cam-0#2",
                        "cam-1#2");
        assertThat(frames)
                .allSatisfy(
                        f -> {
                            assertThat(f.getWidth()).isEqualTo(40);
                            assertThat(f.getHeight()).isEqualTo(30);
                            assertThat(f.getEncoding()).isEqualTo(FrameEncoding.JPEG);
                        });
    }

    @Test
    void feedsCycleThroughTheRenderedPicturesOfTheirCamera() throws IOException {
        List<CameraFrame> frames =
                sendAll(
                        new CameraFrameStream(
                                POOL.feed(Long.MAX_VALUE), "t", 1e9, FrameFaults.none()),
                        9);

        assertThat(frames).hasSize(9); // endless: only the cap stops it
        // frame 2 of camera 0 is its picture 0 again (2 rendered per camera); camera 1's differs
        // from camera 0's
        assertThat(frames.get(6).getData()).isEqualTo(frames.get(0).getData());
        assertThat(frames.get(3).getData()).isNotEqualTo(frames.get(0).getData());
        assertThat(frames.get(1).getData()).isNotEqualTo(frames.get(0).getData());
        byte[] jpeg = new byte[frames.get(0).getData().remaining()];
        frames.get(0).getData().duplicate().get(jpeg);
        var decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(decoded.getWidth()).isEqualTo(40);
        assertThat(decoded.getHeight()).isEqualTo(30);
    }

    @Test
    void modelInputsAreTheModelsSizeAndFollowTheFeedsOrder() {
        List<RgbImage> inputs = POOL.modelInputs(7);

        assertThat(inputs)
                .hasSize(7)
                .allSatisfy(
                        i -> {
                            assertThat(i.width()).isEqualTo(16);
                            assertThat(i.height()).isEqualTo(8);
                            assertThat(i.rgb()).hasSize(16 * 8 * 3);
                        });
        // camera after camera, as a feed sends them: input 6 is camera 0's picture 2 = its picture
        // 0 again
        assertThat(inputs.get(6)).isSameAs(inputs.get(0));
        assertThat(inputs.get(3)).isNotSameAs(inputs.get(0));
        assertThat(POOL.meanEncodedBytes()).isGreaterThan(100);
    }
}
