package io.attnstream.clicks.model;

import java.util.Locale;

/** The training objective of {@code train.SequenceTrainer}. */
public enum SequenceLoss {
    /**
     * The paper's: binary cross-entropy at every position against the next item (label 1) and K
     * items sampled per position outside the user's training items (label 0).
     */
    BCE,
    /**
     * Cross-entropy of a softmax over the next item and K items sampled uniformly per batch, shared
     * by every position (one (B T, D) x (D, K) product); a sampled item equal to a position's
     * target is masked out for that position. With hundreds of negatives each step ranks the target
     * against many items, as evaluation does, and learns in far fewer epochs than one-negative BCE
     * (Klenitskiy &amp; Vasilev, RecSys 2023).
     */
    SAMPLED_SOFTMAX;

    /** The command-line and model.json spelling: {@code bce}, {@code sampled-softmax}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException naming the accepted labels
     */
    public static SequenceLoss parse(String label) {
        for (SequenceLoss loss : values()) {
            if (loss.label().equals(label)) {
                return loss;
            }
        }
        throw new IllegalArgumentException(
                "unknown loss '" + label + "', expected bce or sampled-softmax");
    }
}
