package io.attnstream.video;

import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny labelled street-like scenes for tests: sky above a horizon, road below it, and one to three
 * coloured boxes standing on the road; a one-pixel void band marks the horizon (as annotators leave
 * unclear borders unlabelled). Colours vary per scene and per pixel, so a model must use shape and
 * context as well as colour.
 */
public final class SyntheticScenes {
    public static final int SKY = 0;
    public static final int ROAD = 1;
    public static final int BOX = 2;
    public static final int VOID = 3;
    public static final SegmentationClasses CLASSES =
            new SegmentationClasses(
                    List.of("sky", "road", "box"),
                    List.of(
                            new int[] {70, 130, 180},
                            new int[] {128, 64, 128},
                            new int[] {220, 20, 60}),
                    VOID,
                    null);

    private SyntheticScenes() {}

    public static List<SegmentationSample> generate(int count, int width, int height, long seed) {
        Random random = new Random(seed);
        List<SegmentationSample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(scene("scene" + i, width, height, random));
        }
        return out;
    }

    public static SegmentationSample scene(String name, int width, int height, Random random) {
        byte[] rgb = new byte[3 * width * height];
        byte[] labels = new byte[width * height];
        int horizon = height / 3 + random.nextInt(height / 3);
        float light = 0.8f + 0.4f * random.nextFloat();
        int[] sky = {(int) (90 * light), (int) (150 * light), (int) (225 * light)};
        int[] road = {(int) (105 * light), (int) (100 * light), (int) (110 * light)};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean above = y < horizon;
                int[] colour = above ? sky : road;
                set(rgb, width, x, y, colour, random, 18);
                labels[y * width + x] = (byte) (y == horizon ? VOID : above ? SKY : ROAD);
            }
        }
        int boxes = 1 + random.nextInt(3);
        for (int b = 0; b < boxes; b++) {
            int w = width / 8 + random.nextInt(width / 4);
            int h = height / 6 + random.nextInt(height / 3);
            int left = random.nextInt(width - w);
            int bottom =
                    Math.min(
                            height - 1,
                            horizon + 2 + random.nextInt(Math.max(1, height - horizon - 2)));
            int top = Math.max(0, bottom - h);
            int[] colour =
                    random.nextBoolean()
                            ? new int[] {200, 40 + random.nextInt(60), 40}
                            : new int[] {50, 170 + random.nextInt(60), 60};
            for (int y = top; y <= bottom; y++) {
                for (int x = left; x < left + w; x++) {
                    set(rgb, width, x, y, colour, random, 25);
                    labels[y * width + x] = BOX;
                }
            }
        }
        return new SegmentationSample(
                name, new RgbImage(width, height, rgb), new LabelMap(width, height, labels));
    }

    private static void set(
            byte[] rgb, int width, int x, int y, int[] colour, Random random, int noise) {
        for (int c = 0; c < 3; c++) {
            int v = colour[c] + random.nextInt(2 * noise + 1) - noise;
            rgb[3 * (y * width + x) + c] = (byte) Math.max(0, Math.min(255, v));
        }
    }
}
