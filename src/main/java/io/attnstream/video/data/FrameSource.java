package io.attnstream.video.data;

import io.attnstream.video.image.EncodedFrame;

/**
 * Where a camera stream's pictures come from: a fixed number of cameras, each with a sequence of
 * encoded frames that can be asked for by number. Frame k of every camera is taken in turn, k = 0,
 * 1, ...
 */
public interface FrameSource extends AutoCloseable {
    int cameras();

    /** The id the camera's frames are keyed by. */
    default String cameraId(int camera) {
        return "cam-" + camera;
    }

    /** Frame {@code k} of {@code camera}, or null once that camera's feed has ended. */
    EncodedFrame frame(int camera, long k);

    @Override
    default void close() {
        // Most sources hold nothing to release.
    }
}
