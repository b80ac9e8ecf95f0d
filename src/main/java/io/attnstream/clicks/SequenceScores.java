package io.attnstream.clicks;

/**
 * The sequence model's answer for one request: the top-K next items (history items excluded) with scores, the
 * candidates' scores, and the attention over the history items the model used (oldest first, sums to 1). A Flink
 * POJO.
 */
public class SequenceScores {
    public int[] topItems;
    public float[] topScores;
    public float[] candidateScores;
    public float[] attention;

    public SequenceScores() {}

    public SequenceScores(int[] topItems, float[] topScores, float[] candidateScores, float[] attention) {
        this.topItems = topItems;
        this.topScores = topScores;
        this.candidateScores = candidateScores;
        this.attention = attention;
    }
}
