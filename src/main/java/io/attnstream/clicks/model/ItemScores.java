package io.attnstream.clicks.model;

/**
 * A sequence model version's answer to an {@link ItemHistory}, in item ids: the top-K next items
 * (history items excluded) with scores, each candidate's score (NaN for an item the version does
 * not know: it cannot score what it never saw), and the attention over the history items the
 * version was fed (oldest first, sums to 1). A Flink POJO.
 */
public class ItemScores {
    public String[] topItems;
    public float[] topScores;
    public float[] candidateScores;

    /** The history items the attention weighs: those the version knows, at most its L, in order. */
    public String[] attendedItems;

    public float[] attention;

    /** Per head, head-major: H rows of attention.length weights; null unless requested. */
    public float[] headAttention;

    /**
     * History items and candidates of the request that the version does not know: left out of its
     * input (items) or scored NaN (candidates).
     */
    public int unknownItems;

    public ItemScores() {}

    /** H, the number of heads in {@link #headAttention}; 0 when it was not requested. */
    public int heads() {
        return headAttention == null || attention.length == 0
                ? 0
                : headAttention.length / attention.length;
    }
}
