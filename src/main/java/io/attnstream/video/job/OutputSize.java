package io.attnstream.video.job;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size masks are published at: each frame's own size ({@code frame}), or a fixed {@code WxH}
 * for consumers that want small, uniform masks (e.g. 320x240 thumbnails).
 *
 * @param width 0 for the frame's own size
 * @param height 0 for the frame's own size
 */
public record OutputSize(int width, int height) implements Serializable {
    public static final OutputSize FRAME = new OutputSize(0, 0);

    /**
     * Largest side accepted for a fixed size: a mask is one byte per pixel and is scaled on the
     * model side.
     */
    public static final int MAX_SIDE = 8192;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    public OutputSize {
        if (width < 0
                || height < 0
                || (width == 0) != (height == 0)
                || width > MAX_SIDE
                || height > MAX_SIDE) {
            throw new IllegalArgumentException(
                    "output size must be 'frame' or WxH with sides 1.."
                            + MAX_SIDE
                            + ", got "
                            + width
                            + "x"
                            + height);
        }
    }

    /**
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static OutputSize parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("frame")) {
            return FRAME;
        }
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "output size must be 'frame' or WxH (e.g. 320x240), got '" + text + "'");
        }
        return new OutputSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean isFrame() {
        return width == 0;
    }

    /** The mask width for a frame of this width. */
    public int widthFor(int frameWidth) {
        return isFrame() ? frameWidth : width;
    }

    public int heightFor(int frameHeight) {
        return isFrame() ? frameHeight : height;
    }

    @Override
    public String toString() {
        return isFrame() ? "frame" : width + "x" + height;
    }
}
