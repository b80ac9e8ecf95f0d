package io.attnstream.video.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.attnstream.inference.BatchTranslator;
import io.attnstream.video.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches of frames for the segmentation model, through the same two steps validation and
 * evaluation use ({@link FrameSegmenter#toTensor}, {@link FrameSegmenter#fromOutputs}), so the
 * stream's masks are the model's: every request is one row of (B, 3, H, W), already at the model's
 * input size; each row's logits are scaled bilinearly to the size its mask is wanted at before the
 * argmax (above 4 Mpx the argmax runs at the largest size under it and the mask is enlarged by
 * nearest neighbour, see {@link FrameSegmenter}); the gate maps and the heatmap leave as 8-bit
 * levels.
 */
public final class SegmentationTranslator
        implements BatchTranslator<SegmentationRequest, SegmentationOutput> {
    private static final long serialVersionUID = 1L;

    private final int width;
    private final int height;
    private final ImageTensors.Normalisation normalisation;
    private final int classes;

    /**
     * @param width model input width W
     * @param height model input height H
     * @param classes C, the model's classes
     */
    public SegmentationTranslator(
            int width, int height, ImageTensors.Normalisation normalisation, int classes) {
        this.width = width;
        this.height = height;
        this.normalisation = normalisation;
        this.classes = classes;
    }

    /**
     * Names of the maps a result carries, in order: the gates from the finest scale, then the
     * heatmap.
     */
    public static List<String> mapNames(int gates) {
        List<String> names = new ArrayList<>(gates + 1);
        for (int g = 0; g < gates; g++) {
            names.add("gate-" + g);
        }
        names.add("heatmap");
        return names;
    }

    @Override
    public NDList toTensors(NDManager manager, List<SegmentationRequest> batch) {
        List<RgbImage> frames = new ArrayList<>(batch.size());
        for (SegmentationRequest r : batch) {
            frames.add(new RgbImage(width, height, r.rgb()));
        }
        return new NDList(
                FrameSegmenter.toTensor(
                        manager, frames, width, height, normalisation)); // (B, 3, H, W)
    }

    @Override
    public List<SegmentationOutput> fromTensors(NDList outputs, List<SegmentationRequest> batch) {
        List<FrameSegmenter.Size> sizes = new ArrayList<>(batch.size());
        for (SegmentationRequest r : batch) {
            sizes.add(new FrameSegmenter.Size(r.outputWidth(), r.outputHeight()));
        }
        List<Segmentation> segmentations = FrameSegmenter.fromOutputs(outputs, sizes);
        List<SegmentationOutput> out = new ArrayList<>(batch.size());
        for (Segmentation s : segmentations) {
            List<String> names = mapNames(s.gates().size());
            AttentionLevels[] maps = new AttentionLevels[s.gates().size() + 1];
            for (int g = 0; g < s.gates().size(); g++) {
                maps[g] = AttentionLevels.of(names.get(g), s.gates().get(g));
            }
            maps[maps.length - 1] = AttentionLevels.of("heatmap", s.heatmap());
            out.add(
                    new SegmentationOutput(
                            s.mask().classes(),
                            s.mask().width(),
                            s.mask().height(),
                            s.classShares(classes),
                            maps));
        }
        return out;
    }

    @Override
    public float[] attentionOf(SegmentationOutput result) {
        // the bottleneck heatmap, the last map: its spread says whether attention is diffuse or
        // focused
        return result.maps.length == 0 ? null : result.maps[result.maps.length - 1].weights();
    }
}
