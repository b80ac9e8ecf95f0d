package io.attnstream.video.eval;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.image.AttentionMap;
import io.attnstream.video.image.FrameDecoder;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.PixelFont;
import io.attnstream.video.image.Rgb;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One picture per frame for people to look at: three panels side by side, each at the frame's size,
 * the frame itself, the class mask's colours blended over it, and the attention heatmap (jet
 * colours) blended over it. With captions, a bar above names the panels and a bar below lists the
 * classes present with their shares and shows the heatmap's colour scale. The mask and heatmap may
 * be at any resolution: the mask is scaled by nearest neighbour (classes do not blend), the heatmap
 * bilinearly.
 */
public final class OverlayRenderer {
    /** Weight of the class colour over the frame. */
    public static final double MASK_ALPHA = 0.55;

    /** Weight of the heatmap colour over the frame. */
    public static final double HEAT_ALPHA = 0.5;

    private static final int BAR_BACKGROUND = 0x202020;
    private static final int TEXT = 0xF0F0F0;

    private final SegmentationClasses classes;
    private final boolean captions;

    public OverlayRenderer(SegmentationClasses classes) {
        this(classes, true);
    }

    /**
     * @param classes the names and colours of the mask's classes; void pixels are left uncoloured
     * @param captions false for exactly 3W x H: the panels alone
     */
    public OverlayRenderer(SegmentationClasses classes, boolean captions) {
        this.classes = classes;
        this.captions = captions;
    }

    /**
     * @param title caption of the first panel, e.g. the camera and frame number
     */
    public BufferedImage render(
            BufferedImage frame, LabelMap mask, AttentionMap heatmap, String title) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        int scale = Math.max(1, Math.min(w, h) / 200);
        int line = (PixelFont.GLYPH_HEIGHT + 4) * scale;
        float[] shares = mask.shares(classes.count());
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < shares.length; c++) {
            if (shares[c] > 0) {
                present.add(c);
            }
        }
        present.sort(Comparator.comparingDouble((Integer c) -> -shares[c]));
        List<String> legend =
                present.stream().map(c -> classes.name(c) + " " + percent(shares[c])).toList();
        int legendRows = captions ? legendRows(legend, 2 * w, scale) : 0;
        int top = captions ? line : 0;
        int bottom = captions ? Math.max(1, legendRows) * line + 2 * scale : 0;
        BufferedImage out = new BufferedImage(3 * w, top + h + bottom, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int stride = 3 * w;
        if (captions) {
            Arrays.fill(dst, BAR_BACKGROUND);
        }

        int[] row = new int[w];
        float[] heat = heatmap.resize(w, h);
        // the mask's pixel under each frame column and row: the nearest neighbour the labels are
        // scaled by too
        int[] maskX = ImageResizer.nearestIndices(mask.width(), w);
        int[] maskY = ImageResizer.nearestIndices(mask.height(), h);
        BufferedImage rgb = FrameDecoder.toIntRgb(frame);
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            int base = (top + y) * stride;
            for (int x = 0; x < w; x++) {
                int p = row[x] & 0xFFFFFF;
                dst[base + x] = p;
                int c = mask.at(maskX[x], maskY[y]);
                dst[base + w + x] =
                        classes.isClass(c) ? Rgb.mix(p, classes.colour(c), MASK_ALPHA) : p;
                dst[base + 2 * w + x] = Rgb.mix(p, jet(heat[y * w + x]), HEAT_ALPHA);
            }
        }
        if (captions) {
            int ty = 2 * scale;
            PixelFont.draw(out, 2 * scale, ty, title, TEXT, scale);
            PixelFont.draw(out, w + 2 * scale, ty, "classes", TEXT, scale);
            PixelFont.draw(out, 2 * w + 2 * scale, ty, "attention", TEXT, scale);
            drawLegend(out, legend, present, top + h + 2 * scale, 2 * w, scale, line);
            drawColourScale(out, 2 * w, top + h + 2 * scale, w, scale);
        }
        return out;
    }

    public byte[] renderPng(
            BufferedImage frame, LabelMap mask, AttentionMap heatmap, String title) {
        return FrameEncoder.png(render(frame, mask, heatmap, title));
    }

    /**
     * Writes the overlay PNG to {@code file}, replacing it atomically where the file system allows,
     * so a viewer refreshing it never sees half a picture.
     */
    public void write(
            Path file, BufferedImage frame, LabelMap mask, AttentionMap heatmap, String title) {
        byte[] png = renderPng(frame, mask, heatmap, title);
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".overlay-", ".png.tmp");
            try {
                Files.write(tmp, png);
                try {
                    Files.move(
                            tmp,
                            file,
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new AttnstreamException(
                    "cannot write overlay " + file + ": " + e.getMessage(), e);
        }
    }

    private static String percent(float share) {
        return share < 0.005f ? "<1%" : Math.round(100 * share) + "%";
    }

    /** The jet colour map: dark blue at 0 through cyan, yellow, to dark red at 1. */
    static int jet(double v) {
        double t = v > 0 ? Math.min(v, 1) : 0;
        double r = clamp01(1.5 - Math.abs(4 * t - 3));
        double g = clamp01(1.5 - Math.abs(4 * t - 2));
        double b = clamp01(1.5 - Math.abs(4 * t - 1));
        return Rgb.of(255 * r, 255 * g, 255 * b);
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static int entryWidth(String text, int scale) {
        return (PixelFont.GLYPH_HEIGHT + 2) * scale + PixelFont.width(text, scale) + 6 * scale;
    }

    private static int legendRows(List<String> entries, int width, int scale) {
        int rows = entries.isEmpty() ? 0 : 1;
        int x = 2 * scale;
        for (String e : entries) {
            int ew = entryWidth(e, scale);
            if (x + ew > width && x > 2 * scale) {
                rows++;
                x = 2 * scale;
            }
            x += ew;
        }
        return rows;
    }

    private void drawLegend(
            BufferedImage out,
            List<String> entries,
            List<Integer> present,
            int y0,
            int width,
            int scale,
            int line) {
        int x = 2 * scale;
        int y = y0;
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i);
            int ew = entryWidth(e, scale);
            if (x + ew > width && x > 2 * scale) {
                x = 2 * scale;
                y += line;
            }
            int swatch = PixelFont.GLYPH_HEIGHT * scale;
            fillRect(out, x, y, swatch, swatch, classes.colour(present.get(i)));
            PixelFont.draw(out, x + swatch + 2 * scale, y, e, TEXT, scale);
            x += ew;
        }
    }

    private static void drawColourScale(BufferedImage out, int x0, int y, int width, int scale) {
        int label = PixelFont.width("0", scale) + 3 * scale;
        int left = x0 + 2 * scale + label;
        int right = x0 + width - 2 * scale - label;
        PixelFont.draw(out, x0 + 2 * scale, y, "0", TEXT, scale);
        PixelFont.draw(out, right + 3 * scale, y, "1", TEXT, scale);
        for (int x = left; x < right; x++) {
            fillRect(
                    out,
                    x,
                    y,
                    1,
                    PixelFont.GLYPH_HEIGHT * scale,
                    jet((x - left + 0.5) / (right - left)));
        }
    }

    private static void fillRect(BufferedImage out, int x, int y, int w, int h, int rgb) {
        for (int yy = Math.max(0, y); yy < Math.min(out.getHeight(), y + h); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(out.getWidth(), x + w); xx++) {
                out.setRGB(xx, yy, rgb);
            }
        }
    }
}
