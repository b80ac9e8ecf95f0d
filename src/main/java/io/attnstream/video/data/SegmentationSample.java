package io.attnstream.video.data;

import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;

/**
 * A labelled frame: the image and its per-pixel classes at the same size.
 *
 * @param name where it came from (the file name), for messages
 */
public record SegmentationSample(String name, RgbImage image, LabelMap labels) {
    public SegmentationSample {
        if (image.width() != labels.width() || image.height() != labels.height()) {
            throw new IllegalArgumentException(
                    name
                            + ": the image is "
                            + image.width()
                            + " x "
                            + image.height()
                            + " but its labels are "
                            + labels.width()
                            + " x "
                            + labels.height());
        }
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }
}
