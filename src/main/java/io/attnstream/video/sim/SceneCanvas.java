package io.attnstream.video.sim;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Colour and label buffers drawn together: every fill writes a pixel's colour and its class in the
 * same step, so the label mask is exactly what is drawn (no anti-aliasing; a pixel belongs to a
 * shape when its centre is inside it, edges half-open, so neighbouring shapes neither overlap nor
 * leave gaps).
 */
final class SceneCanvas {
    /** A pixel's colour as a function of its position (texture, shading). */
    @FunctionalInterface
    interface Shader {
        int rgb(int x, int y);
    }

    final int width;
    final int height;
    final int[] rgb;
    final byte[] labels;

    SceneCanvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.rgb = new int[width * height];
        this.labels = new byte[width * height];
    }

    void set(int x, int y, int colour, byte label) {
        int i = y * width + x;
        rgb[i] = colour;
        labels[i] = label;
    }

    /** A convex polygon given by its corners in order (either winding). */
    void fillConvex(double[] xs, double[] ys, byte label, Shader shader) {
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (double y : ys) {
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        int y0 = Math.max(0, (int) Math.ceil(minY - 0.5));
        int y1 = Math.min(height - 1, (int) Math.ceil(maxY - 0.5) - 1);
        int n = xs.length;
        for (int y = y0; y <= y1; y++) {
            double yc = y + 0.5;
            double left = Double.POSITIVE_INFINITY;
            double right = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double ax = xs[i];
                double ay = ys[i];
                double bx = xs[(i + 1) % n];
                double by = ys[(i + 1) % n];
                if (ay == by || yc < Math.min(ay, by) || yc > Math.max(ay, by)) {
                    continue;
                }
                double x = ax + (yc - ay) * (bx - ax) / (by - ay);
                left = Math.min(left, x);
                right = Math.max(right, x);
            }
            if (left < right) {
                span(y, left, right, label, shader);
            }
        }
    }

    /** An axis-aligned rectangle [x0, x1) x [y0, y1) in continuous pixel coordinates. */
    void fillRect(double x0, double y0, double x1, double y1, byte label, Shader shader) {
        fillConvex(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1}, label, shader);
    }

    void fillEllipse(double cx, double cy, double rx, double ry, byte label, Shader shader) {
        if (!(rx > 0 && ry > 0)) {
            return;
        }
        int y0 = Math.max(0, (int) Math.ceil(cy - ry - 0.5));
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + ry - 0.5) - 1);
        for (int y = y0; y <= y1; y++) {
            double dy = (y + 0.5 - cy) / ry;
            double q = 1 - dy * dy;
            if (q <= 0) {
                continue;
            }
            double half = rx * Math.sqrt(q);
            span(y, cx - half, cx + half, label, shader);
        }
    }

    /** Pixels of row y whose centres lie in [left, right). */
    private void span(int y, double left, double right, byte label, Shader shader) {
        int x0 = Math.max(0, (int) Math.ceil(left - 0.5));
        int x1 = Math.min(width - 1, (int) Math.ceil(right - 0.5) - 1);
        int row = y * width;
        for (int x = x0; x <= x1; x++) {
            rgb[row + x] = shader.rgb(x, y);
            labels[row + x] = label;
        }
    }

    BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(rgb, 0, data, 0, rgb.length);
        return image;
    }
}
