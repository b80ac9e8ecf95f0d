package io.attnstream.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A console line for training progress: a carriage-return bar redrawn in place during an epoch,
 * then a permanent line per epoch. Without a terminal (a log file, CI) the bar would pile up into
 * one endless line, so it is drawn only when {@code bar} is true; it is redrawn at most every 200
 * ms.
 */
public final class ProgressLine {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintStream out;
    private final boolean bar;
    private long lastDraw;
    private int lastLength;

    public ProgressLine(PrintStream out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    /** Whether a terminal is attached, i.e. whether the bar is worth drawing. */
    public static boolean terminal() {
        return System.console() != null;
    }

    /**
     * e.g. {@code epoch 3/50 [#####.....] 12/40 loss 0.3120}; a no-op without a bar or within 200
     * ms.
     */
    public void bar(String prefix, int done, int total, String suffix) {
        if (!bar) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * done / Math.max(1, total));
        draw(
                String.format(
                        Locale.ROOT,
                        "%s [%s%s] %d/%d  %s",
                        prefix,
                        "#".repeat(filled),
                        ".".repeat(WIDTH - filled),
                        done,
                        total,
                        suffix));
        out.flush();
    }

    /** Replaces the bar (if any) with a permanent line. */
    public void line(String text) {
        draw(text);
        out.println();
        lastLength = 0;
    }

    /** Overwrites the current line, padding with spaces when the new text is shorter. */
    private void draw(String text) {
        out.print('\r');
        out.print(text);
        if (text.length() < lastLength) {
            out.print(" ".repeat(lastLength - text.length()));
        }
        lastLength = text.length();
    }
}
