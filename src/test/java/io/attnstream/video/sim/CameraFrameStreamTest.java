package io.attnstream.video.sim;

import static io.attnstream.video.VideoFixtures.gradient;
import static io.attnstream.video.VideoFixtures.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.data.ImageFolder;
import io.attnstream.video.image.FrameDecoder;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.FrameRejection;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraFrameStreamTest {
    private static final AvroCodec<CameraFrame> CODEC = AvroCodec.of(CameraFrame.class);
    private static final long START = 1_700_000_000_000L;

    private static List<ProducerRecord<byte[], byte[]>> drain(CameraFrameStream s, int max) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        Optional<ProducerRecord<byte[], byte[]>> r;
        long now = START;
        while (out.size() < max) {
            now = Math.max(now, s.dueAtMillis(now));
            r = s.next(now);
            if (r.isEmpty()) {
                break;
            }
            out.add(r.get());
        }
        return out;
    }

    private static CameraFrame decode(ProducerRecord<byte[], byte[]> r) throws Exception {
        return CODEC.decode(r.value());
    }

    private static BufferedImage image(CameraFrame f) throws FrameRejection {
        return FrameDecoder.decode(f, FrameLimits.DEFAULT);
    }

    @Test
    void generatedFramesGoOutPerCameraInTurnKeyedAndPacedAtTheFrameRate() throws Exception {
        StreetSceneGenerator generator = new StreetSceneGenerator(5);
        try (CameraFrameStream s =
                CameraFrameStream.generated(
                        generator,
                        3,
                        64,
                        48,
                        FrameEncoding.PNG,
                        "video.frames",
                        4,
                        FrameFaults.none())) {
            List<ProducerRecord<byte[], byte[]>> records = drain(s, 9);
            assertThat(records).hasSize(9);
            assertThat(s.frames()).isEqualTo(9);
            for (int i = 0; i < 9; i++) {
                ProducerRecord<byte[], byte[]> r = records.get(i);
                CameraFrame f = decode(r);
                int camera = i % 3;
                long k = i / 3;
                assertThat(r.topic()).isEqualTo("video.frames");
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cam-" + camera);
                assertThat(f.getCameraId()).isEqualTo("cam-" + camera);
                assertThat(f.getFrameSeq()).isEqualTo(k);
                // 4 frames/s per camera: 250 ms per tick, the three cameras spread over it.
                long expected = START + Math.round((k + camera / 3.0) * 250);
                assertThat(f.getEventTime().toEpochMilli()).isEqualTo(expected);
                assertThat(r.timestamp()).isEqualTo(expected);
                assertThat(f.getWidth()).isEqualTo(64);
                assertThat(f.getHeight()).isEqualTo(48);
                assertThat(f.getEncoding()).isEqualTo(FrameEncoding.PNG);
                // Lossless: the frame is exactly the generator's picture.
                assertThat(pixels(image(f)))
                        .isEqualTo(pixels(generator.render(camera, k, 64, 48).image()));
            }
        }
    }

    @Test
    void aFrameIsNotDueBeforeItsTime() {
        try (CameraFrameStream s =
                CameraFrameStream.generated(
                        new StreetSceneGenerator(1),
                        2,
                        16,
                        12,
                        FrameEncoding.JPEG,
                        "t",
                        2,
                        FrameFaults.none())) {
            assertThat(s.dueAtMillis(START)).isEqualTo(START);
            assertThat(s.next(START)).isPresent();
            assertThat(s.dueAtMillis(START))
                    .isEqualTo(START + 250); // camera 1 of 2, half a 500 ms tick later
            s.next(START + 250);
            assertThat(s.dueAtMillis(START + 250)).isEqualTo(START + 500);
        }
    }

    @Test
    void injectedFaultsAreCountedAndReachTheWire() throws Exception {
        FrameFaults faults =
                FrameFaults.builder().seed(2).oversizeHeader(0.2).truncated(0.2).build();
        try (CameraFrameStream s =
                CameraFrameStream.generated(
                        new StreetSceneGenerator(1),
                        2,
                        32,
                        24,
                        FrameEncoding.JPEG,
                        "t",
                        10,
                        faults)) {
            int rejected = 0;
            for (ProducerRecord<byte[], byte[]> r : drain(s, 60)) {
                try {
                    image(decode(r));
                } catch (FrameRejection e) {
                    rejected++;
                }
            }
            long injected = faults.injected().values().stream().mapToLong(Long::longValue).sum();
            assertThat((long) rejected).isEqualTo(injected);
            assertThat(faults.injected().get(FrameFaults.OVERSIZE_HEADER)).isPositive();
            assertThat(faults.injected().get(FrameFaults.TRUNCATED)).isPositive();
            assertThat(s.frames()).isEqualTo(60);
        }
    }

    private static Path folder(Path dir) throws Exception {
        // Names sort differently from creation order; sizes and encodings differ; a text file is
        // ignored.
        String[] names = {"f03.png", "f01.jpg", "f04.PNG", "f00.png", "f02.jpeg"};
        for (String name : names) {
            int n = name.charAt(2) - '0';
            BufferedImage img = gradient(20 + n, 10 + n);
            byte[] bytes =
                    name.toLowerCase().endsWith("png")
                            ? FrameEncoder.png(img)
                            : FrameEncoder.jpeg(img, 0.9f);
            Files.write(dir.resolve(name), bytes);
        }
        Files.writeString(dir.resolve("README.txt"), "not a frame");
        return dir;
    }

    @Test
    void aFolderReplaysItsImagesInNameOrderWithTheirOwnSizeAndEncoding(@TempDir Path dir)
            throws Exception {
        try (CameraFrameStream s =
                CameraFrameStream.replay(folder(dir), 1, false, "t", 5, FrameFaults.none())) {
            List<ProducerRecord<byte[], byte[]>> records = drain(s, 100);
            assertThat(records).hasSize(5);
            for (int k = 0; k < 5; k++) {
                CameraFrame f = decode(records.get(k));
                assertThat(f.getFrameSeq()).isEqualTo(k);
                assertThat(f.getWidth()).isEqualTo(20 + k);
                assertThat(f.getHeight()).isEqualTo(10 + k);
                assertThat(f.getEncoding())
                        .isEqualTo(k == 1 || k == 2 ? FrameEncoding.JPEG : FrameEncoding.PNG);
                assertThat(image(f).getWidth()).isEqualTo(20 + k);
            }
            assertThat(s.next(Long.MAX_VALUE)).isEmpty();
        }
    }

    @Test
    void severalCamerasPlayTheFolderFromOffsetStarts(@TempDir Path dir) throws Exception {
        ImageFolder folder = ImageFolder.open(folder(dir), 2, false);
        assertThat(folder.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("f00.png", "f01.jpg", "f02.jpeg", "f03.png", "f04.PNG");
        // Camera 1 starts 5 / 2 = 2 pictures in and wraps around.
        assertThat(folder.fileIndex(0, 0)).isZero();
        assertThat(folder.fileIndex(1, 0)).isEqualTo(2);
        assertThat(folder.fileIndex(1, 3)).isZero();
        assertThat(folder.fileIndex(1, 5)).isEqualTo(-1);
        try (CameraFrameStream s = new CameraFrameStream(folder, "t", 5, FrameFaults.none())) {
            List<ProducerRecord<byte[], byte[]>> records = drain(s, 100);
            assertThat(records).hasSize(10);
            List<String> seen = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) {
                CameraFrame f = decode(r);
                seen.add(f.getCameraId() + ":" + f.getFrameSeq() + ":" + f.getWidth());
            }
            assertThat(seen).startsWith("cam-0:0:20", "cam-1:0:22", "cam-0:1:21", "cam-1:1:23");
        }
        ImageFolder looping = ImageFolder.open(dir, 1, true);
        assertThat(looping.fileIndex(0, 12)).isEqualTo(2);
        assertThat(looping.frame(0, 12).width()).isEqualTo(22);
    }

    @Test
    void folderProblemsNameTheFolderOrFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ImageFolder.open(dir.resolve("missing"), 1, false))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ImageFolder.open(dir, 1, false))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("no .png, .jpg or .jpeg files");
        Files.writeString(dir.resolve("fake.png"), "hello");
        ImageFolder folder = ImageFolder.open(dir, 1, false);
        assertThatThrownBy(() -> folder.frame(0, 0))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("fake.png")
                .hasMessageContaining("neither a PNG nor a JPEG");
        assertThatThrownBy(() -> new CameraFrameStream(folder, "t", 0, FrameFaults.none()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
