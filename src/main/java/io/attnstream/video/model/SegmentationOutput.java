package io.attnstream.video.model;

/**
 * The model's answer for one frame: the class mask at the requested size, each class's share of it,
 * and the attention maps as 8-bit levels. A Flink POJO.
 */
public class SegmentationOutput {
    /** Class index per pixel, (height, width) row-major. */
    public byte[] mask;

    public int width;
    public int height;

    /** Share of the mask's pixels per class, in class order; sums to 1. */
    public float[] classFractions;

    /**
     * The maps in the model's order: the gates from the finest scale to the coarsest, then the
     * bottleneck heatmap.
     */
    public AttentionLevels[] maps;

    public SegmentationOutput() {}

    public SegmentationOutput(
            byte[] mask, int width, int height, float[] classFractions, AttentionLevels[] maps) {
        this.mask = mask;
        this.width = width;
        this.height = height;
        this.classFractions = classFractions;
        this.maps = maps;
    }
}
