package io.attnstream.video.sim;

import static io.attnstream.video.VideoFixtures.frame;
import static io.attnstream.video.VideoFixtures.gradient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.VideoFixtures;
import io.attnstream.video.image.FrameDecoder;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.FrameRejection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameFaultsTest {
    /** Small limits so an oversize frame stays small in the test. */
    private static final FrameLimits LIMITS = new FrameLimits(100_000, 1_000_000);

    private static CameraFrame clean(FrameEncoding encoding) {
        return frame(encoding, 40, 30, FrameEncoder.encode(gradient(40, 30), encoding, 0.9f));
    }

    private static FrameRejection.Reason decode(CameraFrame f) {
        try {
            FrameDecoder.decode(f, LIMITS);
            return null;
        } catch (FrameRejection e) {
            return e.reason();
        }
    }

    @Test
    void everyFaultKindIsRejectedForItsOwnReasonInEveryEncoding() {
        for (FrameEncoding encoding : FrameEncoding.values()) {
            assertThat(decode(clean(encoding))).as("clean %s", encoding).isNull();
            for (String kind : FrameFaults.KINDS) {
                FrameFaults faults = rateOne(kind);
                FrameFaults.Emission e = faults.offer(clean(encoding));
                assertThat(e.fault()).isEqualTo(kind);
                assertThat(decode(e.frame()))
                        .as("%s %s", kind, encoding)
                        .isEqualTo(FrameFaults.expectedReason(kind));
                assertThat(e.frame().getCameraId()).isEqualTo("cam-1");
                assertThat(e.frame().getFrameSeq()).isEqualTo(3L);
                assertThat(faults.injected().get(kind)).isEqualTo(1L);
            }
        }
    }

    private static FrameFaults rateOne(String kind) {
        FrameFaults.Builder b = FrameFaults.builder().seed(1);
        switch (kind) {
            case FrameFaults.OVERSIZE_BYTES -> b.oversizeBytes(1, LIMITS.maxBytes() + 1);
            case FrameFaults.OVERSIZE_HEADER -> b.oversizeHeader(1);
            case FrameFaults.TRUNCATED -> b.truncated(1);
            case FrameFaults.WRONG_ENCODING -> b.wrongEncoding(1);
            default -> b.undecodable(1);
        }
        return b.build();
    }

    @Test
    void theOversizeHeaderIsTinyAndTheRecordBacksItsClaim() {
        CameraFrame f =
                rateOne(FrameFaults.OVERSIZE_HEADER).offer(clean(FrameEncoding.JPEG)).frame();
        assertThat(f.getData().remaining()).isLessThan(100);
        assertThat(f.getWidth()).isEqualTo(CraftedImages.CLAIMED_SIZE);
        assertThat(f.getHeight()).isEqualTo(CraftedImages.CLAIMED_SIZE);
        assertThat(f.getEncoding()).isEqualTo(FrameEncoding.PNG);
        // An oversize frame is the picture plus padding: only the byte limit stops it.
        CameraFrame big =
                rateOne(FrameFaults.OVERSIZE_BYTES).offer(clean(FrameEncoding.PNG)).frame();
        assertThat(big.getData().remaining()).isEqualTo(100_001);
        try {
            assertThat(
                            VideoFixtures.pixels(
                                    FrameDecoder.decode(big, new FrameLimits(200_000, 1_000_000))))
                    .isEqualTo(VideoFixtures.pixels(gradient(40, 30)));
        } catch (FrameRejection e) {
            throw new AssertionError(e.getMessage());
        }
    }

    @Test
    void countsFollowTheRatesAndMatchWhatTheDecoderRejects() {
        FrameFaults faults =
                FrameFaults.builder()
                        .seed(9)
                        .oversizeBytes(0.04, LIMITS.maxBytes() + 1)
                        .oversizeHeader(0.04)
                        .truncated(0.04)
                        .wrongEncoding(0.04)
                        .undecodable(0.04)
                        .build();
        Map<String, Long> seen = new LinkedHashMap<>();
        FrameFaults.KINDS.forEach(k -> seen.put(k, 0L));
        CameraFrame source = clean(FrameEncoding.PNG);
        int clean = 0;
        for (int k = 0; k < 1000; k++) {
            FrameFaults.Emission e = faults.offer(source);
            FrameRejection.Reason r = decode(e.frame());
            if (r == null) {
                assertThat(e.fault()).isNull();
                clean++;
                continue;
            }
            String kind =
                    FrameFaults.KINDS.stream()
                            .filter(x -> FrameFaults.expectedReason(x) == r)
                            .findFirst()
                            .orElseThrow();
            assertThat(e.fault()).isEqualTo(kind);
            seen.merge(kind, 1L, Long::sum);
        }
        assertThat(seen).isEqualTo(faults.injected());
        assertThat(seen).allSatisfy((kind, n) -> assertThat(n).as(kind).isBetween(20L, 65L));
        assertThat(clean).isBetween(740, 860);
    }

    @Test
    void sameSeedSameFaultsAndNoneChangesNothing() {
        FrameFaults a = FrameFaults.builder().seed(4).truncated(0.3).undecodable(0.3).build();
        FrameFaults b = FrameFaults.builder().seed(4).truncated(0.3).undecodable(0.3).build();
        CameraFrame f = clean(FrameEncoding.JPEG);
        for (int k = 0; k < 50; k++) {
            assertThat(a.offer(f)).isEqualTo(b.offer(f));
        }
        FrameFaults none = FrameFaults.none();
        for (int k = 0; k < 50; k++) {
            assertThat(none.offer(f)).isEqualTo(new FrameFaults.Emission(f, null));
        }
        assertThat(none.injected())
                .containsOnlyKeys(FrameFaults.KINDS)
                .allSatisfy((k, n) -> assertThat(n).isZero());
    }

    @Test
    void ratesAreValidated() {
        assertThatThrownBy(() -> FrameFaults.builder().truncated(0.6).undecodable(0.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1");
        assertThatThrownBy(() -> FrameFaults.builder().wrongEncoding(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameFaults.builder().oversizeBytes(0.1, 0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
