package io.attnstream.clicks.eval;

/**
 * The most-popular baseline: an item's score is how often it occurs in the given sequences, the
 * same for every user. Ranked under the same protocol and on the same candidates as the model.
 */
public final class MostPopular {
    private final float[] counts; // (V+1), index 0 (padding) stays 0

    private MostPopular(float[] counts) {
        this.counts = counts;
    }

    /** Counts item indexes 1..V in the sequences (0 is ignored). */
    public static MostPopular fit(int[][] sequences, int vocabularySize) {
        float[] counts = new float[vocabularySize + 1];
        for (int[] seq : sequences) {
            for (int item : seq) {
                if (item > 0 && item <= vocabularySize) {
                    counts[item]++;
                }
            }
        }
        return new MostPopular(counts);
    }

    public float score(int item) {
        return counts[item];
    }

    /** Scores of the candidates, in their order. */
    public float[] scores(int[] candidates) {
        float[] s = new float[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            s[i] = counts[candidates[i]];
        }
        return s;
    }
}
