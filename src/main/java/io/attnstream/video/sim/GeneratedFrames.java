package io.attnstream.video.sim;

import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.data.FrameSource;
import io.attnstream.video.image.EncodedFrame;
import io.attnstream.video.image.FrameEncoder;

/**
 * Endless frames of the {@link StreetSceneGenerator}: camera c is the generator's camera c, frame k
 * its frame k.
 */
public final class GeneratedFrames implements FrameSource {
    private final StreetSceneGenerator generator;
    private final int cameras;
    private final int width;
    private final int height;
    private final FrameEncoding encoding;
    private final float jpegQuality;

    public GeneratedFrames(
            StreetSceneGenerator generator,
            int cameras,
            int width,
            int height,
            FrameEncoding encoding,
            float jpegQuality) {
        if (cameras < 1) {
            throw new IllegalArgumentException("cameras must be >= 1, got " + cameras);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "frame size must be at least 1 x 1, got " + width + " x " + height);
        }
        this.generator = generator;
        this.cameras = cameras;
        this.width = width;
        this.height = height;
        this.encoding = encoding;
        this.jpegQuality = jpegQuality;
    }

    @Override
    public int cameras() {
        return cameras;
    }

    @Override
    public EncodedFrame frame(int camera, long k) {
        SceneFrame scene = generator.render(camera, k, width, height);
        return new EncodedFrame(
                encoding, width, height, FrameEncoder.encode(scene.image(), encoding, jpegQuality));
    }
}
