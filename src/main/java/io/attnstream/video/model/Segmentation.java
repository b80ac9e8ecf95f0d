package io.attnstream.video.model;

import io.attnstream.video.image.AttentionMap;
import io.attnstream.video.image.LabelMap;
import java.util.List;

/**
 * The model's answer for one frame.
 *
 * @param mask class indices 0..C-1 at the requested output size (never void: every pixel gets a
 *     class)
 * @param gates each attention gate's coefficients at its own scale, from the finest (the model's
 *     input size) to the coarsest
 * @param heatmap the bottleneck's self-attention received per position, divided by its largest
 *     value
 */
public record Segmentation(LabelMap mask, List<AttentionMap> gates, AttentionMap heatmap) {
    public Segmentation {
        gates = List.copyOf(gates);
    }

    /** The share of the mask's pixels of each class 0..C-1 (sums to 1). */
    public float[] classShares(int classes) {
        return mask.shares(classes);
    }
}
