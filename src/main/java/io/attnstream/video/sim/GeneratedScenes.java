package io.attnstream.video.sim;

import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled training and validation frames from the street-scene generator (for {@code train video
 * --simulate}).
 */
public final class GeneratedScenes {
    private GeneratedScenes() {}

    /**
     * {@code n} frames of cameras {@code first .. first + n - 1} (each a different street), as
     * samples: disjoint camera ranges keep training and validation streets apart.
     */
    public static List<SegmentationSample> samples(
            StreetSceneGenerator generator, int first, int n, int width, int height) {
        List<SegmentationSample> out = new ArrayList<>(n);
        for (int i = first; i < first + n; i++) {
            SceneFrame f = generator.sample(i, width, height);
            out.add(
                    new SegmentationSample(
                            "camera-" + i,
                            RgbImage.of(f.image()),
                            new LabelMap(width, height, f.labels())));
        }
        return out;
    }
}
