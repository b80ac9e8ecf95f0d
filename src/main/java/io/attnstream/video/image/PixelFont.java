package io.attnstream.video.image;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A 5 x 7 bitmap font for captions on overlay images. Java2D text needs system fonts (fontconfig),
 * which a headless server or container often lacks; this needs nothing. Upper case, digits and a
 * little punctuation; lower case is drawn as upper case, anything else as '?'.
 */
public final class PixelFont {
    static final int GLYPH_WIDTH = 5;
    public static final int GLYPH_HEIGHT = 7;

    /** Horizontal advance per character, in font pixels (one column of spacing). */
    static final int ADVANCE = GLYPH_WIDTH + 1;

    private static final Map<Character, String> GLYPHS = new HashMap<>();

    static {
        glyph('A', "01110 10001 10001 11111 10001 10001 10001");
        glyph('B', "11110 10001 10001 11110 10001 10001 11110");
        glyph('C', "01110 10001 10000 10000 10000 10001 01110");
        glyph('D', "11110 10001 10001 10001 10001 10001 11110");
        glyph('E', "11111 10000 10000 11110 10000 10000 11111");
        glyph('F', "11111 10000 10000 11110 10000 10000 10000");
        glyph('G', "01110 10001 10000 10111 10001 10001 01111");
        glyph('H', "10001 10001 10001 11111 10001 10001 10001");
        glyph('I', "01110 00100 00100 00100 00100 00100 01110");
        glyph('J', "00111 00010 00010 00010 00010 10010 01100");
        glyph('K', "10001 10010 10100 11000 10100 10010 10001");
        glyph('L', "10000 10000 10000 10000 10000 10000 11111");
        glyph('M', "10001 11011 10101 10101 10001 10001 10001");
        glyph('N', "10001 10001 11001 10101 10011 10001 10001");
        glyph('O', "01110 10001 10001 10001 10001 10001 01110");
        glyph('P', "11110 10001 10001 11110 10000 10000 10000");
        glyph('Q', "01110 10001 10001 10001 10101 10010 01101");
        glyph('R', "11110 10001 10001 11110 10100 10010 10001");
        glyph('S', "01111 10000 10000 01110 00001 00001 11110");
        glyph('T', "11111 00100 00100 00100 00100 00100 00100");
        glyph('U', "10001 10001 10001 10001 10001 10001 01110");
        glyph('V', "10001 10001 10001 10001 10001 01010 00100");
        glyph('W', "10001 10001 10001 10101 10101 10101 01010");
        glyph('X', "10001 10001 01010 00100 01010 10001 10001");
        glyph('Y', "10001 10001 01010 00100 00100 00100 00100");
        glyph('Z', "11111 00001 00010 00100 01000 10000 11111");
        glyph('0', "01110 10001 10011 10101 11001 10001 01110");
        glyph('1', "00100 01100 00100 00100 00100 00100 01110");
        glyph('2', "01110 10001 00001 00010 00100 01000 11111");
        glyph('3', "11111 00010 00100 00010 00001 10001 01110");
        glyph('4', "00010 00110 01010 10010 11111 00010 00010");
        glyph('5', "11111 10000 11110 00001 00001 10001 01110");
        glyph('6', "00110 01000 10000 11110 10001 10001 01110");
        glyph('7', "11111 00001 00010 00100 01000 01000 01000");
        glyph('8', "01110 10001 10001 01110 10001 10001 01110");
        glyph('9', "01110 10001 10001 01111 00001 00010 01100");
        glyph(' ', "00000 00000 00000 00000 00000 00000 00000");
        glyph('.', "00000 00000 00000 00000 00000 01100 01100");
        glyph(',', "00000 00000 00000 00000 01100 00100 01000");
        glyph(':', "00000 01100 01100 00000 01100 01100 00000");
        glyph('%', "11000 11001 00010 00100 01000 10011 00011");
        glyph('-', "00000 00000 00000 11111 00000 00000 00000");
        glyph('_', "00000 00000 00000 00000 00000 00000 11111");
        glyph('/', "00000 00001 00010 00100 01000 10000 00000");
        glyph('(', "00010 00100 01000 01000 01000 00100 00010");
        glyph(')', "01000 00100 00010 00010 00010 00100 01000");
        glyph('=', "00000 00000 11111 00000 11111 00000 00000");
        glyph('+', "00000 00100 00100 11111 00100 00100 00000");
        glyph('?', "01110 10001 00001 00010 00100 00000 00100");
        glyph('#', "01010 01010 11111 01010 11111 01010 01010");
        glyph('<', "00010 00100 01000 10000 01000 00100 00010");
        glyph('>', "01000 00100 00010 00001 00010 00100 01000");
    }

    private PixelFont() {}

    private static void glyph(char c, String rows) {
        GLYPHS.put(c, rows.replace(" ", ""));
    }

    /** Width of {@code text} in image pixels at {@code scale}. */
    public static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    /** Draws {@code text} with its top-left corner at (x, y), clipped to the image. */
    public static void draw(BufferedImage image, int x, int y, String text, int rgb, int scale) {
        String upper = text.toUpperCase(Locale.ROOT);
        for (int i = 0; i < upper.length(); i++) {
            String g = GLYPHS.getOrDefault(upper.charAt(i), GLYPHS.get('?'));
            int gx = x + i * ADVANCE * scale;
            for (int row = 0; row < GLYPH_HEIGHT; row++) {
                for (int col = 0; col < GLYPH_WIDTH; col++) {
                    if (g.charAt(row * GLYPH_WIDTH + col) == '1') {
                        fill(image, gx + col * scale, y + row * scale, scale, rgb);
                    }
                }
            }
        }
    }

    private static void fill(BufferedImage image, int x, int y, int size, int rgb) {
        for (int dy = 0; dy < size; dy++) {
            for (int dx = 0; dx < size; dx++) {
                int px = x + dx;
                int py = y + dy;
                if (px >= 0 && py >= 0 && px < image.getWidth() && py < image.getHeight()) {
                    image.setRGB(px, py, rgb);
                }
            }
        }
    }
}
