package io.attnstream.clicks.model;

/**
 * The sequence model's answer for one request: the top-K next items (history items excluded) with
 * scores, the candidates' scores, and the attention over the history items the model used (oldest
 * first, sums to 1). A Flink POJO.
 */
public class SequenceScores {
    public int[] topItems;
    public float[] topScores;
    public float[] candidateScores;
    public float[] attention;

    /** Per head, head-major: H rows of attention.length weights; null unless requested. */
    public float[] headAttention;

    public SequenceScores() {}

    public SequenceScores(
            int[] topItems, float[] topScores, float[] candidateScores, float[] attention) {
        this(topItems, topScores, candidateScores, attention, null);
    }

    public SequenceScores(
            int[] topItems,
            float[] topScores,
            float[] candidateScores,
            float[] attention,
            float[] headAttention) {
        this.topItems = topItems;
        this.topScores = topScores;
        this.candidateScores = candidateScores;
        this.attention = attention;
        this.headAttention = headAttention;
    }

    /** H, the number of heads in {@link #headAttention}; 0 when it was not requested. */
    public int heads() {
        return headAttention == null || attention.length == 0
                ? 0
                : headAttention.length / attention.length;
    }
}
