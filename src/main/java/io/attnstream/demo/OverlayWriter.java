package io.attnstream.demo;

import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.eval.OverlayRenderer;
import io.attnstream.video.image.AttentionMap;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.PngMasks;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes, every few seconds per camera, {@code <dir>/<camera>.png}: the frame, the mask's class
 * colours over it and the attention heatmap over it, side by side, from what a downstream consumer
 * reads on {@code video.segments} and {@code video.attention}. The frame itself is rendered again
 * from the demo's generator (deterministic for a camera and frame number), so the demo need not
 * keep the frames it sent. Each file is replaced atomically: a viewer that reloads it never sees
 * half a picture.
 */
final class OverlayWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayWriter.class);

    /** Heatmaps or masks kept while their other half is awaited. */
    private static final int PENDING = 256;

    private final Path dir;
    private final StreetSceneGenerator generator;
    private final OverlayRenderer renderer;
    private final long everyMillis;
    private final AvroCodec<SegmentationResult> results = AvroCodec.of(SegmentationResult.class);
    private final AvroCodec<SegmentationAttention> attention =
            AvroCodec.of(SegmentationAttention.class);
    private final Map<String, AttentionMap> heatmaps = bounded();
    private final Map<String, SegmentationResult> masks = bounded();
    private final Map<String, Long> lastWritten = new HashMap<>();
    private long written;

    OverlayWriter(
            Path dir, StreetSceneGenerator generator, SegmentationClasses classes, Duration every) {
        this.dir = dir;
        this.generator = generator;
        this.renderer = new OverlayRenderer(classes, true);
        this.everyMillis = every.toMillis();
    }

    /** Overlays written so far. */
    synchronized long written() {
        return written;
    }

    /**
     * A frame's heatmap: written with its mask if that came first, else kept until it comes.
     *
     * @return the record's observation for the monitor, null if it does not decode
     */
    synchronized OutputMonitor.Observation attention(byte[] value) {
        SegmentationAttention a;
        try {
            a = attention.decode(value);
        } catch (Exception e) {
            return null;
        }
        for (var m : a.getMaps()) {
            if ("heatmap".equals(m.getName())
                    && m.getLevels().remaining() == m.getWidth() * m.getHeight()) {
                AttentionMap heatmap =
                        AttentionMap.fromBytes(m.getWidth(), m.getHeight(), bytes(m.getLevels()));
                SegmentationResult result = masks.remove(a.getPredictionId());
                if (result != null) {
                    write(result, heatmap);
                } else if (due(a.getCameraId())) {
                    heatmaps.put(a.getPredictionId(), heatmap);
                }
            }
        }
        return new OutputMonitor.Observation(
                a.getEventTime().toEpochMilli(), a.getModelName() + "@" + a.getModelVersion());
    }

    /** A frame's mask: written with its heatmap if that came first, else kept until it comes. */
    synchronized void segments(byte[] value) {
        SegmentationResult r;
        try {
            r = results.decode(value);
        } catch (Exception e) {
            return; // counted as undecodable by the monitor's own observer
        }
        AttentionMap heatmap = heatmaps.remove(r.getPredictionId());
        if (heatmap != null) {
            write(r, heatmap);
        } else if (due(r.getCameraId())) {
            masks.put(r.getPredictionId(), r);
        }
    }

    /**
     * Whether the camera's overlay is older than the period (the two topics are read in no
     * particular order).
     */
    private boolean due(String camera) {
        Long last = lastWritten.get(camera);
        return last == null || System.currentTimeMillis() - last >= everyMillis;
    }

    private void write(SegmentationResult r, AttentionMap heatmap) {
        if (!due(r.getCameraId())) {
            return;
        }
        try {
            int camera =
                    Integer.parseInt(
                            r.getCameraId().substring(r.getCameraId().lastIndexOf('-') + 1));
            var frame =
                    generator
                            .render(camera, r.getFrameSeq(), r.getFrameWidth(), r.getFrameHeight())
                            .image();
            LabelMap mask = PngMasks.decode(bytes(r.getMask()), FrameLimits.DEFAULT);
            Files.createDirectories(dir);
            renderer.write(
                    dir.resolve(r.getCameraId() + ".png"),
                    frame,
                    mask,
                    heatmap,
                    r.getCameraId()
                            + " #"
                            + r.getFrameSeq()
                            + "  "
                            + r.getModelName()
                            + "@"
                            + r.getModelVersion());
            lastWritten.put(r.getCameraId(), System.currentTimeMillis());
            written++;
        } catch (Exception e) {
            // a demo nicety: a picture that cannot be made is logged, the demo goes on
            LOG.warn("overlay not written: {}", e.toString());
        }
    }

    /**
     * Oldest entries dropped beyond {@link #PENDING}: a half whose other half never comes is not
     * kept forever.
     */
    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > PENDING;
            }
        };
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
