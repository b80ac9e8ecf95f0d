package io.attnstream.bench;

import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.data.FrameSource;
import io.attnstream.video.image.EncodedFrame;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.RgbImage;
import io.attnstream.video.sim.SceneFrame;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * Street-scene frames rendered and encoded once, before anything is timed: a pool of {@code
 * perCamera} consecutive frames for each camera, which the benchmark's feeds cycle through.
 * Rendering a frame costs more than the pipeline's decoding of it, so rendering while producing
 * would take the CPU the job is being measured on.
 */
final class BenchFrames {
    private final int cameras;
    private final int perCamera;
    private final int width;
    private final int height;
    private final FrameEncoding encoding;

    /** [camera][i]: the encoded picture and the same picture shrunk to the model's input. */
    private final byte[][][] encoded;

    private final RgbImage[][] modelInput;

    /**
     * @param width frame width (the camera's)
     * @param modelWidth W of the model's input, which the raw loop's frames are resized to
     */
    BenchFrames(
            StreetSceneGenerator generator,
            int cameras,
            int perCamera,
            int width,
            int height,
            FrameEncoding encoding,
            int modelWidth,
            int modelHeight) {
        if (cameras < 1 || perCamera < 1) {
            throw new IllegalArgumentException("cameras and frames per camera must be >= 1");
        }
        this.cameras = cameras;
        this.perCamera = perCamera;
        this.width = width;
        this.height = height;
        this.encoding = encoding;
        this.encoded = new byte[cameras][perCamera][];
        this.modelInput = new RgbImage[cameras][perCamera];
        for (int c = 0; c < cameras; c++) {
            for (int i = 0; i < perCamera; i++) {
                SceneFrame scene = generator.render(c, i, width, height);
                encoded[c][i] =
                        FrameEncoder.encode(
                                scene.image(), encoding, FrameEncoder.DEFAULT_JPEG_QUALITY);
                modelInput[c][i] =
                        ImageResizer.bilinear(RgbImage.of(scene.image()), modelWidth, modelHeight);
            }
        }
    }

    int cameras() {
        return cameras;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    FrameEncoding encoding() {
        return encoding;
    }

    /** Mean encoded size of a frame, in bytes. */
    double meanEncodedBytes() {
        long sum = 0;
        for (byte[][] camera : encoded) {
            for (byte[] frame : camera) {
                sum += frame.length;
            }
        }
        return sum / (double) (cameras * perCamera);
    }

    /** {@code n} model-sized pictures, taken camera after camera as a feed sends them. */
    List<RgbImage> modelInputs(int n) {
        List<RgbImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(modelInput[i % cameras][(i / cameras) % perCamera]);
        }
        return out;
    }

    /**
     * A feed of {@code total} frames over all cameras (frame k of camera c is number {@code k *
     * cameras + c}), or an endless one for {@code Long.MAX_VALUE}.
     */
    FrameSource feed(long total) {
        return new FrameSource() {
            @Override
            public int cameras() {
                return cameras;
            }

            @Override
            public EncodedFrame frame(int camera, long k) {
                long left =
                        total - camera; // frames numbered camera, camera + cameras, ... below total
                long count = left / cameras + (left % cameras > 0 ? 1 : 0);
                if (k >= count) {
                    return null;
                }
                return new EncodedFrame(
                        encoding, width, height, encoded[camera][(int) (k % perCamera)]);
            }
        };
    }
}
