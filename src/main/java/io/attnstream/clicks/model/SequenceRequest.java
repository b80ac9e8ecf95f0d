package io.attnstream.clicks.model;

/**
 * What the sequence model scores: the user's recent item indexes (oldest first, the current item
 * last) and, optionally, candidate item indexes whose scores are wanted. A Flink POJO.
 */
public class SequenceRequest {
    public int[] history;
    public int[] candidates;

    public SequenceRequest() {}

    public SequenceRequest(int[] history, int[] candidates) {
        this.history = history;
        this.candidates = candidates;
    }
}
