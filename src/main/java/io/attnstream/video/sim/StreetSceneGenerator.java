package io.attnstream.video.sim;

import io.attnstream.video.image.Rgb;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic street-camera footage with exact labels, for tests, the demo and training: each camera
 * looks down its own street (perspective road with lane marks, sidewalks, buildings with windows or
 * park trees, lamp poles and signs, sky) where cars drive along their lanes and pedestrians walk
 * the sidewalks, so consecutive frames of a camera form a moving sequence. Cameras differ in
 * geometry, colours, textures, lighting and sensor noise.
 *
 * <p>Deterministic: frame k of camera c is the same picture for the same seed at any time, in any
 * order; it can be rendered at any width x height (the scene scales with the width, the horizon
 * with the height). The label mask holds CamVid class indices and is written pixel by pixel
 * together with the colours, so it is exactly what is drawn. Classes drawn: {@link #SKY}, {@link
 * #BUILDING}, {@link #POLE}, {@link #ROAD}, {@link #PAVEMENT}, {@link #TREE}, {@link #SIGN_SYMBOL},
 * {@link #CAR}, {@link #PEDESTRIAN}; never fence (7), bicyclist (10) or void (11).
 *
 * <p>Thread-safe: it holds only the seed.
 */
public final class StreetSceneGenerator {
    public static final byte SKY = 0;
    public static final byte BUILDING = 1;
    public static final byte POLE = 2;
    public static final byte ROAD = 3;
    public static final byte PAVEMENT = 4;
    public static final byte TREE = 5;
    public static final byte SIGN_SYMBOL = 6;
    public static final byte CAR = 8;
    public static final byte PEDESTRIAN = 9;

    /**
     * Scene time between consecutive frames: objects move as in a 5 frames/s feed, whatever the
     * send rate.
     */
    public static final double FRAME_SECONDS = 0.2;

    /** Where {@link #sample} takes its frames from: far apart in each camera's sequence. */
    private static final long SAMPLE_FRAME_STRIDE = 7919;

    private final long seed;

    public StreetSceneGenerator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** Frame {@code frame} (>= 0) of camera {@code camera} (>= 0) at {@code width x height}. */
    public SceneFrame render(int camera, long frame, int width, int height) {
        if (camera < 0 || frame < 0) {
            throw new IllegalArgumentException(
                    "camera and frame must be >= 0, got " + camera + ", " + frame);
        }
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(
                    "frame size must be at least 1 x 1 and fit in memory, got "
                            + width
                            + " x "
                            + height);
        }
        StreetLayout street = new StreetLayout(seed, camera);
        SceneView view = SceneView.of(street, width, height);
        SceneCanvas canvas = new SceneCanvas(width, height);
        new SceneBackground(street, view).draw(canvas);
        new SceneObjects(street, view, canvas).draw(frame * FRAME_SECONDS);
        expose(canvas, street, camera, frame);
        return new SceneFrame(camera, frame, canvas.toImage(), canvas.labels);
    }

    /**
     * Training example {@code index}: camera {@code index} (a different street each time), at a
     * frame far into its sequence. Use disjoint index ranges for training and validation sets.
     */
    public SceneFrame sample(int index, int width, int height) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be >= 0, got " + index);
        }
        return render(index, (index * SAMPLE_FRAME_STRIDE) % 100_000, width, height);
    }

    /** Samples 0..n-1 (see {@link #sample}). */
    public List<SceneFrame> samples(int n, int width, int height) {
        List<SceneFrame> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample(i, width, height));
        }
        return out;
    }

    /**
     * The camera's exposure and sensor: overall gain and white balance, a slight exposure flicker
     * between frames, vignetting and per-pixel noise. Labels are untouched.
     */
    private static void expose(SceneCanvas canvas, StreetLayout street, int camera, long frame) {
        double flicker = 1 + 0.03 * Math.sin(frame * 0.5 + camera);
        double gain = street.gain * flicker;
        double r = gain * street.tintR;
        double g = gain * street.tintG;
        double b = gain * street.tintB;
        double amplitude =
                street.noiseSigma * Math.sqrt(3); // uniform noise with that standard deviation
        long key = SceneNoise.hash(street.key, frame, 0x0153, 0);
        double halfW = canvas.width / 2.0;
        double halfH = canvas.height / 2.0;
        int[] rgb = canvas.rgb;
        for (int y = 0; y < canvas.height; y++) {
            double ny = (y + 0.5 - halfH) / halfH;
            for (int x = 0; x < canvas.width; x++) {
                double nx = (x + 0.5 - halfW) / halfW;
                double v = 1 - street.vignette * (nx * nx + ny * ny) / 2;
                long bits = SceneNoise.mix(key ^ ((long) x << 32 | y));
                double n1 = ((bits & 0x1FFFFF) * 0x1.0p-21 * 2 - 1) * amplitude;
                double n2 = ((bits >>> 21 & 0x1FFFFF) * 0x1.0p-21 * 2 - 1) * amplitude;
                double n3 = ((bits >>> 42 & 0x1FFFFF) * 0x1.0p-21 * 2 - 1) * amplitude;
                int c = rgb[y * canvas.width + x];
                rgb[y * canvas.width + x] =
                        Rgb.of(
                                Rgb.red(c) * r * v + n1,
                                Rgb.green(c) * g * v + n2,
                                Rgb.blue(c) * b * v + n3);
            }
        }
    }
}
