package io.attnstream.clicks.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hit rate and NDCG at 5, 10 and 20 over users with one held-out item each. With a single relevant
 * item, the held-out item at 0-based rank r gives HR@k = [r &lt; k] and NDCG@k = [r &lt; k] /
 * log2(r + 2) (the ideal DCG is 1).
 *
 * @param users the number of ranked held-out items the means are over
 */
public record RankingMetrics(
        double hr5,
        double hr10,
        double hr20,
        double ndcg5,
        double ndcg10,
        double ndcg20,
        long users) {
    static final int[] CUTOFFS = {5, 10, 20};

    /** The metrics of a list of 0-based ranks. */
    public static RankingMetrics of(int... ranks) {
        Accumulator a = new Accumulator();
        for (int r : ranks) {
            a.add(r);
        }
        return a.metrics();
    }

    public double hr(int k) {
        return switch (k) {
            case 5 -> hr5;
            case 10 -> hr10;
            case 20 -> hr20;
            default ->
                    throw new IllegalArgumentException(
                            "HR@" + k + " is not computed (5, 10, 20 are)");
        };
    }

    public double ndcg(int k) {
        return switch (k) {
            case 5 -> ndcg5;
            case 10 -> ndcg10;
            case 20 -> ndcg20;
            default ->
                    throw new IllegalArgumentException(
                            "NDCG@" + k + " is not computed (5, 10, 20 are)");
        };
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k : CUTOFFS) {
            m.put("hr@" + k, hr(k));
        }
        for (int k : CUTOFFS) {
            m.put("ndcg@" + k, ndcg(k));
        }
        m.put("users", users);
        return m;
    }

    /** Sums ranks one user at a time. */
    public static final class Accumulator {
        private final double[] hits = new double[CUTOFFS.length];
        private final double[] gains = new double[CUTOFFS.length];
        private long count;

        /**
         * @param rank 0-based rank of the held-out item among its candidates (0 = first)
         */
        public void add(int rank) {
            if (rank < 0) {
                throw new IllegalArgumentException("rank must be >= 0, got " + rank);
            }
            for (int i = 0; i < CUTOFFS.length; i++) {
                if (rank < CUTOFFS[i]) {
                    hits[i] += 1;
                    gains[i] += 1 / (Math.log(rank + 2) / Math.log(2));
                }
            }
            count++;
        }

        public RankingMetrics metrics() {
            double n = Math.max(1, count);
            return new RankingMetrics(
                    hits[0] / n,
                    hits[1] / n,
                    hits[2] / n,
                    gains[0] / n,
                    gains[1] / n,
                    gains[2] / n,
                    count);
        }
    }
}
