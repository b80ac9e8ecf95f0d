package io.attnstream.traffic.model;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.Serializable;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a raw window of speeds into the traffic forecaster's three inputs (see {@link
 * TrafficForecasterBlock}): the one rule for missing values that training, evaluation and the
 * streaming job all share.
 *
 * <p>Dimensions: T input steps, N sensors, H horizon. A raw window is {@code float[T][N]} in mph,
 * oldest step first, with {@link Float#NaN} for a missing reading (and 0 too when {@code
 * zeroIsMissing}).
 *
 * <p>Imputation: a missing reading takes the sensor's last observed value earlier in the window;
 * without one, the first observed value later in the window; a sensor with no reading in the whole
 * window takes the training mean (z = 0). Its observed flag is 0 in every case. So the last step
 * always holds the last observed speed (or the mean), which is what the model's persistence
 * residual and the last-value baseline start from.
 */
public final class WindowEncoder {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final Normalisation normalisation;
    private final int inputSteps;
    private final int sensors;
    private final long stepSeconds;
    private final boolean zeroIsMissing;

    /**
     * @param zeroIsMissing true when 0 means "no reading" in this data (as in METR-LA-derived
     *     sets); NaN is missing in any case
     */
    public WindowEncoder(
            Normalisation normalisation,
            int inputSteps,
            int sensors,
            long stepSeconds,
            boolean zeroIsMissing) {
        if (inputSteps <= 0 || sensors <= 0 || stepSeconds <= 0) {
            throw new IllegalArgumentException(
                    "input steps, sensors and step seconds must be positive, got "
                            + inputSteps
                            + ", "
                            + sensors
                            + ", "
                            + stepSeconds);
        }
        this.normalisation = normalisation;
        this.inputSteps = inputSteps;
        this.sensors = sensors;
        this.stepSeconds = stepSeconds;
        this.zeroIsMissing = zeroIsMissing;
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    /** T. */
    public int inputSteps() {
        return inputSteps;
    }

    /** N. */
    public int sensors() {
        return sensors;
    }

    public long stepSeconds() {
        return stepSeconds;
    }

    public boolean zeroIsMissing() {
        return zeroIsMissing;
    }

    /** Whether a raw reading counts as missing under this encoder's rule. */
    public boolean isMissing(float mph) {
        return Float.isNaN(mph) || (zeroIsMissing && mph == 0f);
    }

    /** One window's model inputs. */
    public Encoded encode(float[][] window, long firstStepEpochMillis) {
        Encoded e =
                new Encoded(
                        new float[inputSteps * sensors],
                        new float[inputSteps * sensors],
                        new float[inputSteps * 2]);
        encodeInto(window, firstStepEpochMillis, e, 0);
        return e;
    }

    /**
     * Writes one window's inputs into row {@code b} of batch arrays (speeds and observed B*T*N,
     * calendar B*T*2), so a batch becomes one array per input without a per-sample copy.
     */
    public void encodeInto(float[][] window, long firstStepEpochMillis, Encoded batch, int b) {
        checkWindow(window);
        int base = b * inputSteps * sensors;
        for (int n = 0; n < sensors; n++) {
            int firstObserved = -1;
            for (int t = 0; t < inputSteps && firstObserved < 0; t++) {
                firstObserved = isMissing(window[t][n]) ? -1 : t;
            }
            // back-fill before the first reading; the mean (z = 0) if there is none
            float carried =
                    firstObserved < 0 ? 0f : normalisation.normalise(window[firstObserved][n]);
            for (int t = 0; t < inputSteps; t++) {
                int i = base + t * sensors + n;
                float mph = window[t][n];
                if (isMissing(mph)) {
                    batch.speeds[i] = carried;
                    batch.observed[i] = 0f;
                } else {
                    carried = normalisation.normalise(mph); // carried forward to later gaps
                    batch.speeds[i] = carried;
                    batch.observed[i] = 1f;
                }
            }
        }
        for (int t = 0; t < inputSteps; t++) {
            long millis = firstStepEpochMillis + t * stepSeconds * 1000L;
            batch.calendar[(b * inputSteps + t) * 2] = timeOfDay(millis);
            batch.calendar[(b * inputSteps + t) * 2 + 1] = dayOfWeek(millis);
        }
    }

    /** Empty batch arrays for {@code batchSize} windows, to fill with {@link #encodeInto}. */
    public Encoded newBatch(int batchSize) {
        return new Encoded(
                new float[batchSize * inputSteps * sensors],
                new float[batchSize * inputSteps * sensors],
                new float[batchSize * inputSteps * 2]);
    }

    /**
     * How many readings of each sensor the window lacks (and {@link #encode} therefore imputes).
     */
    public int[] imputedPerSensor(float[][] window) {
        checkWindow(window);
        int[] counts = new int[sensors];
        for (float[] row : window) {
            for (int n = 0; n < sensors; n++) {
                counts[n] += isMissing(row[n]) ? 1 : 0;
            }
        }
        return counts;
    }

    /**
     * One NDArray per input for a batch of {@code size} windows held in {@code batch}.
     *
     * @return [speeds (B, T, N), observed (B, T, N), calendar (B, T, 2)]
     */
    public NDList toTensors(NDManager manager, Encoded batch, int size) {
        int cells = size * inputSteps * sensors;
        return new NDList(
                manager.create(
                        FloatBuffer.wrap(batch.speeds, 0, cells),
                        new Shape(size, inputSteps, sensors)),
                manager.create(
                        FloatBuffer.wrap(batch.observed, 0, cells),
                        new Shape(size, inputSteps, sensors)),
                manager.create(
                        FloatBuffer.wrap(batch.calendar, 0, size * inputSteps * 2),
                        new Shape(size, inputSteps, 2)));
    }

    /**
     * {@link #toTensors(NDManager, Encoded, int)} for separately encoded windows, e.g. a
     * translator's batch.
     */
    public NDList toTensors(NDManager manager, List<Encoded> windows) {
        Encoded batch = newBatch(windows.size());
        int cells = inputSteps * sensors;
        for (int b = 0; b < windows.size(); b++) {
            Encoded e = windows.get(b);
            System.arraycopy(e.speeds, 0, batch.speeds, b * cells, cells);
            System.arraycopy(e.observed, 0, batch.observed, b * cells, cells);
            System.arraycopy(e.calendar, 0, batch.calendar, b * inputSteps * 2, inputSteps * 2);
        }
        return toTensors(manager, batch, windows.size());
    }

    /**
     * Runs the model directly (no runtime, no batching queue) on raw windows: the evaluator's and
     * the tests' way to call it. Inference mode; each chunk runs in a sub-manager of the model's
     * that is closed afterwards.
     *
     * @return one denormalised forecast with its attention per window, in order
     */
    public List<Forecast> forecast(Model model, List<TimedWindow> windows) {
        return forecast(model.getBlock(), model.getNDManager(), windows);
    }

    /**
     * As {@link #forecast(Model, List)} for a bare block whose parameters are initialised or
     * loaded.
     */
    public List<Forecast> forecast(Block block, NDManager parent, List<TimedWindow> windows) {
        final int chunk = 64;
        List<Forecast> out = new ArrayList<>(windows.size());
        for (int from = 0; from < windows.size(); from += chunk) {
            int size = Math.min(chunk, windows.size() - from);
            Encoded batch = newBatch(size);
            for (int b = 0; b < size; b++) {
                TimedWindow w = windows.get(from + b);
                encodeInto(w.speeds(), w.firstStepEpochMillis(), batch, b);
            }
            try (NDManager manager = parent.newSubManager()) {
                NDList outputs =
                        block.forward(
                                new ParameterStore(manager, false),
                                toTensors(manager, batch, size),
                                false);
                out.addAll(fromTensors(outputs));
            }
        }
        return out;
    }

    /**
     * Splits a batch's model outputs into one denormalised forecast per window, in batch order:
     * what a translator's fromTensors needs.
     *
     * @param outputs [forecast (B, H, N) normalised, temporal_attention (B, N, T),
     *     spatial_attention (B, N, N)]
     */
    public List<Forecast> fromTensors(NDList outputs) {
        Shape shape = outputs.get(0).getShape(); // (B, H, N)
        int size = (int) shape.get(0);
        int horizon = (int) shape.get(1);
        float[] z = outputs.get(0).toFloatArray(); // (B, H, N)
        float[] temporal = outputs.get(1).toFloatArray(); // (B, N, T)
        float[] spatial = outputs.get(2).toFloatArray(); // (B, N, N)
        List<Forecast> out = new ArrayList<>(size);
        for (int b = 0; b < size; b++) {
            float[][] mph = new float[horizon][sensors];
            for (int h = 0; h < horizon; h++) {
                for (int n = 0; n < sensors; n++) {
                    mph[h][n] = normalisation.denormalise(z[(b * horizon + h) * sensors + n]);
                }
            }
            out.add(
                    new Forecast(
                            mph,
                            rows(temporal, b, sensors, inputSteps),
                            rows(spatial, b, sensors, sensors)));
        }
        return out;
    }

    private static float[][] rows(float[] flat, int b, int rows, int columns) {
        float[][] out = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, (b * rows + r) * columns, out[r], 0, columns);
        }
        return out;
    }

    private void checkWindow(float[][] window) {
        if (window.length != inputSteps) {
            throw new IllegalArgumentException(
                    "a window must have " + inputSteps + " steps, got " + window.length);
        }
        for (float[] row : window) {
            if (row.length != sensors) {
                throw new IllegalArgumentException(
                        "a window step must have " + sensors + " sensors, got " + row.length);
            }
        }
    }

    /** Time of day in UTC as a fraction of the day, in [0, 1). */
    public static float timeOfDay(long epochMillis) {
        return (float) Math.floorMod(epochMillis, MILLIS_PER_DAY) / MILLIS_PER_DAY;
    }

    /** Day of week in UTC, 0..6 with Monday = 0. */
    public static int dayOfWeek(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).getDayOfWeek().getValue()
                - 1;
    }

    /**
     * The z-score of speeds: one mean and standard deviation over all observed training values (all
     * sensors share them, so a sensor's level stays visible to the model).
     */
    public record Normalisation(float mean, float std) implements Serializable {
        public Normalisation {
            if (!Float.isFinite(mean) || !(std > 0) || !Float.isFinite(std)) {
                throw new IllegalArgumentException(
                        "normalisation needs a finite mean and a positive finite std, got "
                                + mean
                                + ", "
                                + std);
            }
        }

        public float normalise(float mph) {
            return (mph - mean) / std;
        }

        public float denormalise(float z) {
            return z * std + mean;
        }

        /**
         * Mean and standard deviation of the observed values of rows (NaN, and 0 when {@code
         * zeroIsMissing}, are left out); a constant series gets std 1 so that normalising stays
         * defined.
         *
         * @throws IllegalArgumentException when no value is observed
         */
        public static Normalisation fit(float[][] rows, boolean zeroIsMissing) {
            double sum = 0;
            double sumSq = 0;
            long count = 0;
            for (float[] row : rows) {
                for (float v : row) {
                    if (!Float.isNaN(v) && !(zeroIsMissing && v == 0f)) {
                        sum += v;
                        sumSq += (double) v * v;
                        count++;
                    }
                }
            }
            if (count == 0) {
                throw new IllegalArgumentException("no observed speed to normalise with");
            }
            double mean = sum / count;
            double std = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
            return new Normalisation((float) mean, std > 1e-6 ? (float) std : 1f);
        }
    }

    /**
     * Model inputs of one window, or of a batch of windows back to back (see {@link #newBatch}).
     *
     * @param speeds T*N (per window) normalised speeds, imputed where missing, row-major (step,
     *     sensor)
     * @param observed T*N, 1 for a real reading, 0 for an imputed one
     * @param calendar T*2, [time of day in [0, 1), day of week 0..6] per step
     */
    public record Encoded(float[] speeds, float[] observed, float[] calendar) {}

    /** A raw window (T, N) in mph, NaN = missing, and the time of its first step. */
    public record TimedWindow(float[][] speeds, long firstStepEpochMillis) {}

    /**
     * A denormalised forecast and the attention behind it.
     *
     * @param speeds (H, N) mph
     * @param temporalAttention (N, T): each sensor's last step over its T steps; rows sum to 1
     * @param spatialAttention (N, N): each sensor over all sensors; rows sum to 1
     */
    public record Forecast(
            float[][] speeds, float[][] temporalAttention, float[][] spatialAttention) {}
}
