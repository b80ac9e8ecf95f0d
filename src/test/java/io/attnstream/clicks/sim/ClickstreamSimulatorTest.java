package io.attnstream.clicks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.data.Interactions;
import io.attnstream.schema.ClickEventType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClickstreamSimulatorTest {
    private static ClickstreamSimulator sim(long seed) {
        return ClickstreamSimulator.builder()
                .users(400)
                .items(600)
                .categories(12)
                .seed(seed)
                .build();
    }

    @Test
    void sameSeedSameInteractionsAndLiveEvents() {
        Interactions a = sim(7).interactions(20);
        Interactions b = sim(7).interactions(20);
        assertThat(a.sequences()).isEqualTo(b.sequences());
        for (String u : a.users()) {
            assertThat(a.times(u)).containsExactly(b.times(u));
            assertThat(a.eventTypes(u)).isEqualTo(b.eventTypes(u));
        }
        assertThat(sim(8).interactions(20).sequences()).isNotEqualTo(a.sequences());

        ClickstreamSimulator.Live x = sim(7).live();
        ClickstreamSimulator.Live y = sim(7).live();
        for (int i = 0; i < 500; i++) {
            assertThat(x.next(1000L + i)).isEqualTo(y.next(1000L + i));
        }
    }

    @Test
    void idsCountsAndTypes() {
        ClickstreamSimulator s = sim(1);
        Interactions in = s.interactions(20);
        assertThat(in.users()).hasSize(400).first().isEqualTo("u0000");
        assertThat(s.itemIds()).hasSize(600).contains("i00042");
        assertThat(in.sequences().values())
                .allSatisfy(seq -> assertThat(seq).hasSizeBetween(10, 30));
        assertThat((double) in.size() / 400).isBetween(18.0, 22.0);
        Map<ClickEventType, Long> types =
                in.users().stream()
                        .flatMap(u -> in.eventTypes(u).stream())
                        .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
        double n = in.size();
        assertThat(types.get(ClickEventType.VIEW) / n).isBetween(0.85, 0.92);
        assertThat(types.get(ClickEventType.ADD_TO_CART) / n).isBetween(0.06, 0.10);
        assertThat(types.get(ClickEventType.PURCHASE) / n).isBetween(0.02, 0.04);
        for (String u : in.users()) {
            long[] t = in.times(u);
            for (int i = 1; i < t.length; i++) {
                assertThat(t[i]).isGreaterThan(t[i - 1]);
            }
        }
    }

    @Test
    void popularityIsSkewedInsideACategory() {
        ClickstreamSimulator s = sim(2);
        Map<String, Long> counts = counts(s.interactions(30));
        int skewed = 0;
        for (int c = 0; c < s.categories(); c++) {
            List<Long> byRank =
                    s.itemsByPopularity(c).stream().map(i -> counts.getOrDefault(i, 0L)).toList();
            long top = byRank.get(0);
            long median = byRank.stream().sorted().toList().get(byRank.size() / 2);
            // Zipf(1) over 50 items: rank 1 has ~25x the weight of the median rank before successor
            // visits flatten it
            if (top > 4 * Math.max(1, median)) {
                skewed++;
            }
        }
        assertThat(skewed).isEqualTo(s.categories());
    }

    @Test
    void sessionsStayMostlyInOneCategoryAndFollowTheSuccessorRelation() {
        ClickstreamSimulator s = sim(3);
        Interactions in = s.interactions(30);
        int pairs = 0;
        int sameCategory = 0;
        int successor = 0;
        for (String u : in.users()) {
            List<String> seq = in.sequences().get(u);
            long[] t = in.times(u);
            for (int i = 1; i < seq.size(); i++) {
                if (t[i] - t[i - 1] <= 120_000) { // same session
                    pairs++;
                    sameCategory +=
                            s.categoryOf(seq.get(i)) == s.categoryOf(seq.get(i - 1)) ? 1 : 0;
                    successor += seq.get(i).equals(s.successorOf(seq.get(i - 1))) ? 1 : 0;
                }
            }
        }
        // 0.5 successor + 0.3 same category + 0.2 * (1/12-ish chance of re-drawing the same
        // category)
        assertThat((double) sameCategory / pairs).isBetween(0.8, 0.9);
        assertThat((double) successor / pairs).isBetween(0.48, 0.58);
    }

    /**
     * What the model's learning test relies on: on held-out last items, "most frequent successor of
     * the last item in training" beats "most popular" by a wide factor.
     */
    @Test
    void successorPredictorBeatsMostPopularOnHeldOutLastItems() {
        Interactions in = sim(4).interactions(30);
        Map<String, Long> popularity = new HashMap<>();
        Map<String, Map<String, Long>> successors = new HashMap<>();
        for (List<String> seq : in.sequences().values()) {
            List<String> train = seq.subList(0, seq.size() - 1);
            for (int i = 0; i < train.size(); i++) {
                popularity.merge(train.get(i), 1L, Long::sum);
                if (i > 0) {
                    successors
                            .computeIfAbsent(train.get(i - 1), k -> new HashMap<>())
                            .merge(train.get(i), 1L, Long::sum);
                }
            }
        }
        List<String> popular = top(popularity, 10);
        int popHits = 0;
        int seqHits = 0;
        for (List<String> seq : in.sequences().values()) {
            String target = seq.get(seq.size() - 1);
            String last = seq.get(seq.size() - 2);
            List<String> ranked = new ArrayList<>(top(successors.getOrDefault(last, Map.of()), 10));
            for (String p : popular) {
                if (ranked.size() < 10 && !ranked.contains(p)) {
                    ranked.add(p);
                }
            }
            popHits += popular.contains(target) ? 1 : 0;
            seqHits += ranked.contains(target) ? 1 : 0;
        }
        double popHr = popHits / 400.0;
        double seqHr = seqHits / 400.0;
        System.out.printf(
                "HR@10 on held-out last items: successor %.3f, most-popular %.3f, ratio %.1f%n",
                seqHr, popHr, seqHr / popHr);
        assertThat(popHr).isGreaterThan(0.03);
        assertThat(seqHr).isGreaterThan(4 * popHr);
    }

    /**
     * Interests drift: a user's early and late category mix differ more than two samples of the
     * same period.
     */
    @Test
    void interestsDriftSlowly() {
        ClickstreamSimulator s =
                ClickstreamSimulator.builder().users(60).items(600).categories(12).seed(5).build();
        Interactions in = s.interactions(600);
        double acrossTime = 0;
        double samePeriod = 0;
        for (List<String> seq : in.sequences().values()) {
            int quarter = seq.size() / 4;
            List<String> early = seq.subList(0, quarter);
            List<String> late = seq.subList(seq.size() - quarter, seq.size());
            acrossTime += distance(s, early, late);
            List<String> earlyA = early.subList(0, quarter / 2);
            List<String> earlyB = early.subList(quarter / 2, quarter);
            List<String> lateA = late.subList(0, quarter / 2);
            List<String> lateB = late.subList(quarter / 2, quarter);
            samePeriod += (distance(s, earlyA, earlyB) + distance(s, lateA, lateB)) / 2;
        }
        acrossTime /= 60;
        samePeriod /= 60;
        System.out.printf(
                "category mix distance: early vs late %.2f, within a period %.2f%n",
                acrossTime, samePeriod);
        assertThat(acrossTime).isGreaterThan(samePeriod + 0.1);
        assertThat(acrossTime).isLessThan(0.8); // slow: the favourites still overlap
    }

    /** Total variation distance between the category distributions of two item lists. */
    private static double distance(ClickstreamSimulator s, List<String> a, List<String> b) {
        double[] pa = new double[s.categories()];
        double[] pb = new double[s.categories()];
        a.forEach(i -> pa[s.categoryOf(i)] += 1.0 / a.size());
        b.forEach(i -> pb[s.categoryOf(i)] += 1.0 / b.size());
        double d = 0;
        for (int c = 0; c < pa.length; c++) {
            d += Math.abs(pa[c] - pb[c]);
        }
        return d / 2;
    }

    private static Map<String, Long> counts(Interactions in) {
        Map<String, Long> m = new HashMap<>();
        in.sequences().values().forEach(seq -> seq.forEach(i -> m.merge(i, 1L, Long::sum)));
        return m;
    }

    private static List<String> top(Map<String, Long> counts, int k) {
        return counts.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(Map.Entry::getKey)
                .toList();
    }
}
