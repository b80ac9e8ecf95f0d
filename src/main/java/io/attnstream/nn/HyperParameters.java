package io.attnstream.nn;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a block's hyper-parameters back from a model.json map, where a JSON round trip may have
 * turned an int into a Long or a Double: any {@link Number} is accepted, integer settings must have
 * integral values.
 */
public final class HyperParameters {
    private HyperParameters() {}

    /**
     * @throws IllegalArgumentException naming the block when the map has keys it does not know
     */
    public static void requireKnown(Map<String, ?> map, Set<String> known, String block) {
        Set<String> unknown = new TreeSet<>(map.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown "
                            + block
                            + " hyper-parameter(s) "
                            + unknown
                            + "; known: "
                            + new TreeSet<>(known));
        }
    }

    public static Number number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("hyper-parameter '" + key + "' is missing");
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(
                    "hyper-parameter '" + key + "' must be a number, got '" + value + "'");
        }
        return n;
    }

    public static int integer(Map<String, ?> map, String key) {
        Number n = number(map, key);
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "hyper-parameter '" + key + "' must be an integer, got " + n);
        }
        return (int) d;
    }
}
