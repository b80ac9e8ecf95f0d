package io.attnstream.training;

import java.util.Random;

/**
 * The training examples' order, shuffled at the start of every epoch (Fisher-Yates on the loop's
 * seeded random), cut into batches of {@code batchSize}; the last batch may be smaller.
 */
public final class EpochOrder {
    private final int[] order;
    private final int batchSize;

    public EpochOrder(int examples, int batchSize) {
        if (examples < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "need examples and a batch size >= 1, got " + examples + ", " + batchSize);
        }
        this.order = new int[examples];
        for (int i = 0; i < examples; i++) {
            order[i] = i;
        }
        this.batchSize = batchSize;
    }

    /** Shuffles for a new epoch and returns its number of batches. */
    public int shuffle(Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return (order.length + batchSize - 1) / batchSize;
    }

    /**
     * The example indexes in this epoch's order (shared, not a copy); batch b is [{@link #from},
     * {@link #to}).
     */
    public int[] order() {
        return order;
    }

    public int from(int batch) {
        return batch * batchSize;
    }

    public int to(int batch) {
        return Math.min(order.length, (batch + 1) * batchSize);
    }
}
