package io.attnstream.video.sim;

import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.image.FrameDecoder;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.FrameRejection;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fault injection for a stream of camera frames, deterministic from a seed. Each frame offered is,
 * with the configured rates (all 0 by default), replaced by a frame the job must reject before or
 * while decoding:
 *
 * <ul>
 *   <li>{@value #OVERSIZE_BYTES}: the picture padded with zero bytes to {@code oversizeBytes} in
 *       all (a valid image with trailing data, so only the byte limit stops it);
 *   <li>{@value #OVERSIZE_HEADER}: a PNG of a few dozen bytes whose header claims {@value
 *       CraftedImages#CLAIMED_SIZE} x {@value CraftedImages#CLAIMED_SIZE} pixels, with the record
 *       saying the same;
 *   <li>{@value #TRUNCATED}: the first half of the bytes (whole RGB triples for RGB8);
 *   <li>{@value #WRONG_ENCODING}: PNG bytes labelled JPEG and JPEG bytes labelled PNG (RGB8: the
 *       picture as a PNG, labelled RGB8);
 *   <li>{@value #UNDECODABLE}: the format's signature followed by random bytes, as long as the
 *       original (RGB8: random bytes one short of the size, so not whole pixels).
 * </ul>
 *
 * Each kind maps to one {@link FrameRejection.Reason} ({@link #expectedReason}). {@link
 * #injected()} counts what went out per kind.
 *
 * <p>Kafka refuses records over its message size (1 MB by default), so for {@value #OVERSIZE_BYTES}
 * set the job's byte limit and {@code oversizeBytes} below it, or raise the broker's and producer's
 * limits.
 */
public final class FrameFaults {
    public static final String OVERSIZE_BYTES = "oversize_bytes";
    public static final String OVERSIZE_HEADER = "oversize_header";
    public static final String TRUNCATED = "truncated";
    public static final String WRONG_ENCODING = "wrong_encoding";
    public static final String UNDECODABLE = "undecodable";
    public static final List<String> KINDS =
            List.of(OVERSIZE_BYTES, OVERSIZE_HEADER, TRUNCATED, WRONG_ENCODING, UNDECODABLE);
    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'
    };

    /** What to send: a frame, and the fault it carries (null for a clean frame). */
    public record Emission(CameraFrame frame, String fault) {}

    private final double[] rates;
    private final long oversizeBytes;
    private final SplittableRandom random;
    private final Map<String, Long> injected = new LinkedHashMap<>();

    private FrameFaults(Builder b) {
        this.rates = b.rates.clone();
        this.oversizeBytes = b.oversizeBytes;
        this.random = new SplittableRandom(b.seed);
        for (String kind : KINDS) {
            injected.put(kind, 0L);
        }
    }

    /** No faults: every frame passes unchanged. */
    public static FrameFaults none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The reason {@link FrameDecoder} gives for a frame with this fault. */
    public static FrameRejection.Reason expectedReason(String kind) {
        return switch (kind) {
            case OVERSIZE_BYTES -> FrameRejection.Reason.TOO_MANY_BYTES;
            case OVERSIZE_HEADER -> FrameRejection.Reason.TOO_MANY_PIXELS;
            case TRUNCATED -> FrameRejection.Reason.TRUNCATED;
            case WRONG_ENCODING -> FrameRejection.Reason.WRONG_ENCODING;
            case UNDECODABLE -> FrameRejection.Reason.UNDECODABLE;
            default -> throw new IllegalArgumentException("unknown fault kind " + kind);
        };
    }

    /** The frame to send in place of {@code frame}: itself, or a faulty version of it. */
    public Emission offer(CameraFrame frame) {
        double u = random.nextDouble();
        double t = 0;
        for (int i = 0; i < KINDS.size(); i++) {
            t += rates[i];
            if (u < t) {
                String kind = KINDS.get(i);
                injected.merge(kind, 1L, Long::sum);
                return new Emission(inject(kind, frame), kind);
            }
        }
        return new Emission(frame, null);
    }

    /** Count per kind of fault sent so far, every kind present (0 if none). */
    public Map<String, Long> injected() {
        return new LinkedHashMap<>(injected);
    }

    private CameraFrame inject(String kind, CameraFrame frame) {
        byte[] data = bytes(frame);
        FrameEncoding encoding = frame.getEncoding();
        CameraFrame.Builder out = CameraFrame.newBuilder(frame);
        switch (kind) {
            case OVERSIZE_BYTES ->
                    out.setData(
                            ByteBuffer.wrap(
                                    Arrays.copyOf(
                                            data,
                                            (int) Math.max(oversizeBytes, data.length + 1L))));
            case OVERSIZE_HEADER ->
                    out.setEncoding(FrameEncoding.PNG)
                            .setWidth(CraftedImages.CLAIMED_SIZE)
                            .setHeight(CraftedImages.CLAIMED_SIZE)
                            .setData(
                                    ByteBuffer.wrap(
                                            CraftedImages.pngClaiming(
                                                    CraftedImages.CLAIMED_SIZE,
                                                    CraftedImages.CLAIMED_SIZE)));
            case TRUNCATED -> {
                int keep = data.length / 2;
                if (encoding == FrameEncoding.RGB8) {
                    keep -= keep % 3;
                }
                out.setData(ByteBuffer.wrap(Arrays.copyOf(data, keep)));
            }
            case WRONG_ENCODING -> {
                switch (encoding) {
                    case PNG -> out.setEncoding(FrameEncoding.JPEG);
                    case JPEG -> out.setEncoding(FrameEncoding.PNG);
                    case RGB8 ->
                            out.setData(
                                    ByteBuffer.wrap(
                                            FrameEncoder.png(
                                                    rgbImage(
                                                            data,
                                                            frame.getWidth(),
                                                            frame.getHeight()))));
                }
            }
            default -> out.setData(ByteBuffer.wrap(garbage(encoding, data.length)));
        }
        return out.build();
    }

    private byte[] garbage(FrameEncoding encoding, int length) {
        if (encoding == FrameEncoding.RGB8) {
            byte[] b = new byte[Math.max(1, length - 1)];
            random.nextBytes(b);
            return b;
        }
        byte[] magic =
                encoding == FrameEncoding.PNG
                        ? PNG_SIGNATURE
                        : new byte[] {(byte) 0xFF, (byte) 0xD8};
        byte[] b = new byte[Math.max(length, magic.length + 16)];
        random.nextBytes(b);
        System.arraycopy(magic, 0, b, 0, magic.length);
        if (encoding == FrameEncoding.JPEG && b[2] == (byte) 0xFF) {
            b[2] = 0; // a marker would start here: make sure none does
        }
        return b;
    }

    private static BufferedImage rgbImage(byte[] data, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0, p = 0; y < height; y++) {
            for (int x = 0; x < width && p + 2 < data.length; x++, p += 3) {
                image.setRGB(
                        x,
                        y,
                        (data[p] & 0xFF) << 16 | (data[p + 1] & 0xFF) << 8 | data[p + 2] & 0xFF);
            }
        }
        return image;
    }

    private static byte[] bytes(CameraFrame frame) {
        ByteBuffer b = frame.getData().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Fault rates (probabilities per frame, summing to at most 1), the oversize length and the
     * seed.
     */
    public static final class Builder {
        private long seed;
        private final double[] rates = new double[KINDS.size()];
        private long oversizeBytes = FrameLimits.DEFAULT_MAX_BYTES + 1;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param bytes length of an oversize frame: more than the job's {@link
         *     FrameLimits#maxBytes()}
         */
        public Builder oversizeBytes(double rate, long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "oversize frame length must be in [1, 2^31 - 9], got " + bytes);
            }
            rates[0] = rate;
            this.oversizeBytes = bytes;
            return this;
        }

        public Builder oversizeHeader(double rate) {
            rates[1] = rate;
            return this;
        }

        public Builder truncated(double rate) {
            rates[2] = rate;
            return this;
        }

        public Builder wrongEncoding(double rate) {
            rates[3] = rate;
            return this;
        }

        public Builder undecodable(double rate) {
            rates[4] = rate;
            return this;
        }

        public FrameFaults build() {
            double sum = 0;
            for (double rate : rates) {
                if (!(rate >= 0 && rate <= 1)) {
                    throw new IllegalArgumentException(
                            "fault rates must be in [0, 1], got " + rate);
                }
                sum += rate;
            }
            if (sum > 1 + 1e-9) {
                throw new IllegalArgumentException("fault rates add up to more than 1");
            }
            return new FrameFaults(this);
        }
    }
}
