package io.attnstream.testing;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How many outputs each input got, for exactly-once checks: duplicates are the outputs beyond one
 * per input, missing are the expected inputs without any, unexpected the inputs that should have
 * had none.
 *
 * @param <K> what names an input (a source position, a window, a frame)
 */
public final class OutputCounts<K extends Comparable<K>> {
    private final Map<K, Integer> counts = new TreeMap<>();
    private int outputs;

    public void add(K input) {
        counts.merge(input, 1, Integer::sum);
        outputs++;
    }

    /** Every output counted, duplicates included. */
    public int outputs() {
        return outputs;
    }

    public long duplicates() {
        return counts.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    }

    /** The expected inputs without an output, in order. */
    public List<K> missing(Collection<K> expected) {
        return expected.stream().filter(k -> !counts.containsKey(k)).sorted().toList();
    }

    /** Inputs with an output that are not in {@code expected}. */
    public Set<K> unexpected(Collection<K> expected) {
        Set<K> out = new HashSet<>(counts.keySet());
        out.removeAll(new HashSet<>(expected));
        return out;
    }

    public Set<K> inputs() {
        return counts.keySet();
    }
}
