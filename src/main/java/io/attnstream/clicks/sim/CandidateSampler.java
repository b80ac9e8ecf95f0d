package io.attnstream.clicks.sim;

import io.attnstream.clicks.data.Interactions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Candidate items an upstream system might ask to score, attached to a share of the events so the
 * candidate scoring path is exercised: {@value #POPULAR} items drawn from the most popular {@value
 * #POPULAR_POOL} and the rest uniformly from the catalogue, {@value #SIZE} distinct items in all,
 * never the event's own item. Deterministic from a seed.
 */
public final class CandidateSampler {
    public static final int SIZE = 5;
    static final int POPULAR = 2;
    static final int POPULAR_POOL = 20;

    private final List<String> catalogue;
    private final List<String> popular;
    private final double rate;
    private final SplittableRandom random;

    /**
     * @param popular the catalogue's items, most popular first (only the first {@value
     *     #POPULAR_POOL} are used)
     * @param rate share of events that get candidates, in [0, 1]
     */
    public CandidateSampler(List<String> catalogue, List<String> popular, double rate, long seed) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("candidate rate must be in [0, 1], got " + rate);
        }
        if (rate > 0 && catalogue.size() <= SIZE) {
            throw new IllegalArgumentException(
                    "candidates need a catalogue of more than "
                            + SIZE
                            + " items, got "
                            + catalogue.size());
        }
        this.catalogue = List.copyOf(catalogue);
        this.popular = List.copyOf(popular.subList(0, Math.min(POPULAR_POOL, popular.size())));
        this.rate = rate;
        this.random = new SplittableRandom(seed);
    }

    /** No candidates ever. */
    public static CandidateSampler none() {
        return new CandidateSampler(List.of(), List.of(), 0, 0);
    }

    /** Over the items of these interactions, popularity = how often each occurs. */
    public static CandidateSampler of(Interactions interactions, double rate, long seed) {
        Map<String, Integer> counts = new HashMap<>();
        interactions
                .sequences()
                .values()
                .forEach(seq -> seq.forEach(i -> counts.merge(i, 1, Integer::sum)));
        List<String> items = interactions.items();
        List<String> byCount = new ArrayList<>(items);
        byCount.sort(
                (a, b) ->
                        Integer.compare(
                                counts.get(b),
                                counts.get(a))); // stable: ties keep first-seen order
        return new CandidateSampler(items, byCount, rate, seed);
    }

    /** Over the simulator's catalogue, popular = each category's most popular items. */
    public static CandidateSampler of(ClickstreamSimulator sim, double rate, long seed) {
        List<String> popular = new ArrayList<>();
        for (int rank = 0; popular.size() < POPULAR_POOL && rank < sim.itemIds().size(); rank++) {
            for (int c = 0; c < sim.categories() && popular.size() < POPULAR_POOL; c++) {
                List<String> items = sim.itemsByPopularity(c);
                if (rank < items.size()) {
                    popular.add(items.get(rank));
                }
            }
        }
        return new CandidateSampler(sim.itemIds(), popular, rate, seed);
    }

    /**
     * Candidates for an event on {@code item}: empty for most events, {@value #SIZE} items for a
     * share.
     */
    public List<String> next(String item) {
        if (rate == 0 || random.nextDouble() >= rate) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        int popularWanted = Math.min(POPULAR, popular.size());
        while (out.size() < popularWanted) {
            String p = popular.get(random.nextInt(popular.size()));
            if (!p.equals(item)) {
                out.add(p);
            } else if (popular.size() <= popularWanted) {
                break; // the pool is only the item itself and what we already have
            }
        }
        while (out.size() < SIZE) {
            String c = catalogue.get(random.nextInt(catalogue.size()));
            if (!c.equals(item)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }
}
