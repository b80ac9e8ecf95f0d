package io.attnstream.traffic.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.model.WindowEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The training dataset of the traffic forecaster: sliding windows over a part of a speed matrix,
 * inputs rows [t, t+T) and targets rows [t+T, t+T+H), all inside the part (so a validation tail
 * never lends its rows to training windows). Windows whose targets are all missing are skipped;
 * other missing targets stay missing and are masked out of the loss and the metrics.
 *
 * <p>Dimensions: B batch, T input steps, N sensors, H horizon.
 */
public final class TrafficWindows {
    private final float[][] rows;
    private final long firstRowEpochMillis;
    private final WindowEncoder encoder;
    private final int horizon;
    private final int[] starts;

    /**
     * @param part rows of a speed matrix, mph, NaN = missing
     * @param firstRowEpochMillis the time of the part's first row
     */
    public TrafficWindows(
            SpeedMatrix part, long firstRowEpochMillis, WindowEncoder encoder, int horizon) {
        if (part.sensors() != encoder.sensors()) {
            throw new IllegalArgumentException(
                    "the data has "
                            + part.sensors()
                            + " sensors, the encoder "
                            + encoder.sensors());
        }
        this.rows = part.speeds();
        this.firstRowEpochMillis = firstRowEpochMillis;
        this.encoder = encoder;
        this.horizon = horizon;
        int inputSteps = encoder.inputSteps();
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t + inputSteps + horizon <= rows.length; t++) {
            if (anyObservedTarget(t + inputSteps)) {
                kept.add(t);
            }
        }
        starts = kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private boolean anyObservedTarget(int firstTarget) {
        for (int r = firstTarget; r < firstTarget + horizon; r++) {
            for (float v : rows[r]) {
                if (!encoder.isMissing(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The number of windows. */
    public int size() {
        return starts.length;
    }

    /** The first input row of window {@code i} within the part. */
    public int start(int i) {
        return starts[i];
    }

    public WindowEncoder encoder() {
        return encoder;
    }

    public int horizon() {
        return horizon;
    }

    /** Window {@code i}'s raw input rows (T, N) in mph, sharing the part's row arrays. */
    public float[][] input(int i) {
        float[][] window = new float[encoder.inputSteps()][];
        System.arraycopy(rows, starts[i], window, 0, window.length);
        return window;
    }

    /** The time of window {@code i}'s first input step. */
    public long firstStepEpochMillis(int i) {
        return firstRowEpochMillis + starts[i] * encoder.stepSeconds() * 1000L;
    }

    /**
     * The windows {@code order[from..to)} as one batch, with one array per tensor (no per-window
     * NDArray).
     *
     * @param manager where the tensors live; the caller closes it after the step
     */
    public Batch batch(NDManager manager, int[] order, int from, int to) {
        int size = to - from;
        int sensors = encoder.sensors();
        WindowEncoder.Encoded encoded = encoder.newBatch(size);
        float[] target = new float[size * horizon * sensors]; // (B, H, N) z, 0 where missing
        float[] mask = new float[size * horizon * sensors]; // (B, H, N) 1 where observed
        float[] targetMph = new float[size * horizon * sensors]; // (B, H, N) mph, NaN where missing
        int observed = 0;
        WindowEncoder.Normalisation normalisation = encoder.normalisation();
        for (int b = 0; b < size; b++) {
            int i = order[from + b];
            encoder.encodeInto(input(i), firstStepEpochMillis(i), encoded, b);
            int firstTarget = starts[i] + encoder.inputSteps();
            for (int h = 0; h < horizon; h++) {
                float[] row = rows[firstTarget + h];
                for (int n = 0; n < sensors; n++) {
                    int k = (b * horizon + h) * sensors + n;
                    if (encoder.isMissing(row[n])) {
                        targetMph[k] = Float.NaN;
                    } else {
                        targetMph[k] = row[n];
                        target[k] = normalisation.normalise(row[n]);
                        mask[k] = 1f;
                        observed++;
                    }
                }
            }
        }
        Shape targets = new Shape(size, horizon, sensors); // (B, H, N)
        NDList labels = new NDList(manager.create(target, targets), manager.create(mask, targets));
        return new Batch(
                encoder.toTensors(manager, encoded, size),
                labels,
                encoded,
                targetMph,
                size,
                observed);
    }

    /**
     * One batch of windows.
     *
     * @param inputs the model inputs [speeds (B, T, N), observed (B, T, N), calendar (B, T, 2)]
     * @param labels [target z (B, H, N), 0 where missing; mask (B, H, N), 1 where observed]
     * @param encoded the inputs as Java arrays (the last step's imputed speeds are the last-value
     *     forecast)
     * @param targetMph B*H*N targets in mph, NaN where missing
     * @param size B
     * @param observedTargets the number of observed targets (the loss's denominator)
     */
    public record Batch(
            NDList inputs,
            NDList labels,
            WindowEncoder.Encoded encoded,
            float[] targetMph,
            int size,
            int observedTargets) {}
}
