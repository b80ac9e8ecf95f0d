package io.attnstream.nn;

import ai.djl.MalformedModelException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks of a block's settings: in its builder, and against the settings saved beside its
 * parameters.
 *
 * <p>DJL's {@code Parameter.load} takes whatever array the file holds, so loading a V=1000 model
 * into a block built for V=500 (or with other heads, which changes no array shape) would otherwise
 * succeed and predict nonsense. Checking the settings turns that into one clear {@link
 * MalformedModelException}.
 */
public final class BlockSettings {
    private BlockSettings() {}

    public static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(
                    name + " must be set to a positive value, got " + value);
        }
    }

    /** Requires heads H > 0 that divide model size D. */
    public static void requireHeadsDivide(int modelSize, int heads) {
        requirePositive("heads H", heads);
        if (modelSize % heads != 0) {
            throw new IllegalArgumentException(
                    "model size D ("
                            + modelSize
                            + ") must be divisible by heads H ("
                            + heads
                            + ")");
        }
    }

    public static void requireRate(String name, float rate) {
        if (!(rate >= 0 && rate < 1)) { // also rejects NaN
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + rate);
        }
    }

    /** Writes the integer settings a block was built with, for {@link #check} on load. */
    public static void write(DataOutputStream os, int... values) throws IOException {
        os.writeInt(values.length);
        for (int value : values) {
            os.writeInt(value);
        }
    }

    /**
     * @param block the block's name, for the message
     * @param names the settings' names, in the order they were written
     * @param expected this block's values, in the same order
     */
    public static void check(DataInputStream is, String block, String[] names, int[] expected)
            throws IOException, MalformedModelException {
        int count = is.readInt();
        if (count != expected.length) {
            throw new MalformedModelException(
                    block
                            + " parameters hold "
                            + count
                            + " settings, expected "
                            + expected.length
                            + " ("
                            + String.join(", ", names)
                            + "): not parameters of this block");
        }
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int saved = is.readInt();
            if (saved != expected[i]) {
                mismatches.add(names[i] + " saved " + saved + ", built " + expected[i]);
            }
        }
        if (!mismatches.isEmpty()) {
            throw new MalformedModelException(
                    block
                            + " parameters do not match the block's settings: "
                            + String.join("; ", mismatches));
        }
    }
}
