package io.attnstream.inference;

import io.attnstream.platform.AttnstreamException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a model.json's {@code preprocessing} values. A value that is missing or of the wrong type
 * is one {@link AttnstreamException} naming the model and the key, e.g. {@code model.json of seg@1:
 * preprocessing.input_width must be a positive integer, got '16.5'}, since a hand-edited or foreign
 * model.json is a user's mistake, not a bug.
 */
public final class Preprocessing {
    private Preprocessing() {}

    /** The value under {@code key}, never null. */
    public static Object value(ModelSpec spec, String key) {
        Object value = spec.preprocessing() == null ? null : spec.preprocessing().get(key);
        if (value == null) {
            throw new AttnstreamException(where(spec) + " lacks preprocessing." + key);
        }
        return value;
    }

    public static Number number(ModelSpec spec, String key) {
        Object value = value(spec, key);
        if (!(value instanceof Number n)) {
            throw invalid(spec, key, "a number", value);
        }
        return n;
    }

    /** A whole number in 1..Integer.MAX_VALUE (JSON may have written it as 12.0). */
    public static int positiveInt(ModelSpec spec, String key) {
        Object value = value(spec, key);
        double d = value instanceof Number n ? n.doubleValue() : Double.NaN;
        if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
            throw invalid(spec, key, "a positive integer", value);
        }
        return (int) d;
    }

    public static boolean bool(ModelSpec spec, String key) {
        Object value = value(spec, key);
        if (!(value instanceof Boolean b)) {
            throw invalid(spec, key, "true or false", value);
        }
        return b;
    }

    /**
     * @param expected what the error says the value must be, e.g. "a list of 3 numbers"
     */
    public static float[] floats(ModelSpec spec, String key, String expected) {
        Object value = value(spec, key);
        if (!(value instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof Number)) {
            throw invalid(spec, key, expected, value);
        }
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    /**
     * A list, each element as text (ids written as numbers are still ids).
     *
     * @param expected what the error says the value must be, e.g. "a list of sensor ids"
     */
    public static List<String> strings(ModelSpec spec, String key, String expected) {
        Object value = value(spec, key);
        if (!(value instanceof List<?> list)) {
            throw invalid(spec, key, expected, value);
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object element : list) {
            out.add(String.valueOf(element));
        }
        return out;
    }

    /**
     * The error for a value of the right type that the model's own checks refused, e.g. a zero std.
     */
    public static AttnstreamException rejected(ModelSpec spec, IllegalArgumentException e) {
        return new AttnstreamException(where(spec) + ": preprocessing " + e.getMessage());
    }

    public static AttnstreamException invalid(
            ModelSpec spec, String key, String expected, Object value) {
        return new AttnstreamException(
                where(spec)
                        + ": preprocessing."
                        + key
                        + " must be "
                        + expected
                        + ", got '"
                        + value
                        + "'");
    }

    private static String where(ModelSpec spec) {
        return "model.json of " + spec.ref();
    }
}
