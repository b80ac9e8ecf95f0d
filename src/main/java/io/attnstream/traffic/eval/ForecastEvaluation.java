package io.attnstream.traffic.eval;

import io.attnstream.traffic.data.SpeedMatrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published Los-loop protocol (T-GCN): split the series chronologically, cut the test part into
 * windows of {@code inputSteps} inputs followed by the longest horizon's targets (windows lie
 * wholly inside the test part) and score every forecaster on the same windows at several horizons,
 * counting only observed targets.
 */
public final class ForecastEvaluation {
    /** The protocol's horizons: 15, 30 and 60 minutes of 5-minute steps. */
    public static final int[] HORIZONS = {3, 6, 12};

    /** Windows handed to a {@link BatchForecaster} at once. */
    public static final int DEFAULT_BATCH = 64;

    /**
     * One input window.
     *
     * @param speeds (T, N) mph, oldest first, NaN = missing; shares its rows with the test matrix,
     *     do not modify
     * @param startMillis time of row 0 (UTC epoch ms); row t is at {@code startMillis + t *
     *     stepSeconds * 1000}
     */
    public record Window(float[][] speeds, long startMillis) {}

    /** Forecasts many windows at once, so a model can score them in one forward pass. */
    @FunctionalInterface
    public interface BatchForecaster {
        /**
         * @return one (H, N) forecast per window, in order; H = {@code horizon}
         */
        List<float[][]> forecastBatch(List<Window> windows, int stepSeconds, int horizon);
    }

    /** A forecaster of one window at a time; it is a {@link BatchForecaster} by looping. */
    @FunctionalInterface
    public interface Forecaster extends BatchForecaster {
        /**
         * @param window (T, N) mph, oldest first, NaN = missing
         * @param windowStartMillis time of the window's row 0; the targets are rows T .. T+H-1
         *     after it
         * @return (H, N) mph
         */
        float[][] forecast(float[][] window, long windowStartMillis, int stepSeconds, int horizon);

        @Override
        default List<float[][]> forecastBatch(List<Window> windows, int stepSeconds, int horizon) {
            List<float[][]> out = new ArrayList<>(windows.size());
            for (Window w : windows) {
                out.add(forecast(w.speeds(), w.startMillis(), stepSeconds, horizon));
            }
            return out;
        }
    }

    /**
     * Persistence: every sensor's next H speeds equal its last observed speed in the window; a
     * sensor with no observation in the window gets the mean of all observed values of the window
     * (NaN if there are none).
     */
    public static final Forecaster LAST_VALUE =
            (window, windowStartMillis, stepSeconds, horizon) -> {
                int n = window[0].length;
                double sum = 0;
                long observed = 0;
                for (float[] row : window) {
                    for (float v : row) {
                        if (!Float.isNaN(v)) {
                            sum += v;
                            observed++;
                        }
                    }
                }
                float windowMean = observed == 0 ? Float.NaN : (float) (sum / observed);
                float[] last = new float[n];
                for (int s = 0; s < n; s++) {
                    last[s] = windowMean;
                    for (int t = window.length - 1; t >= 0; t--) {
                        if (!Float.isNaN(window[t][s])) {
                            last[s] = window[t][s];
                            break;
                        }
                    }
                }
                float[][] out = new float[horizon][];
                for (int h = 0; h < horizon; h++) {
                    out[h] = last.clone();
                }
                return out;
            };

    /** A chronological split: the training rows come strictly before the test rows. */
    public record Split(SpeedMatrix train, SpeedMatrix test, int testFromRow) {
        /** The last {@code testFraction} of the rows (rounded up) is the test part. */
        public static Split chronological(SpeedMatrix all, double testFraction) {
            if (!(testFraction > 0 && testFraction <= 1)) {
                throw new IllegalArgumentException(
                        "test fraction must be in (0, 1], got " + testFraction);
            }
            int from = (int) Math.floor(all.steps() * (1 - testFraction));
            return new Split(all.rows(0, from), all.rows(from, all.steps()), from);
        }
    }

    /**
     * What an evaluation scored.
     *
     * @param windows input windows scored (the same for every model)
     * @param metrics per model (in the order given), one {@link ForecastMetrics} per horizon (in
     *     the order given)
     */
    public record Result(
            int windows,
            int inputSteps,
            int stepSeconds,
            int[] horizons,
            Map<String, List<ForecastMetrics>> metrics) {
        public List<ForecastMetrics> metrics(String model) {
            List<ForecastMetrics> m = metrics.get(model);
            if (m == null) {
                throw new IllegalArgumentException(
                        "no model '" + model + "' in " + metrics.keySet());
            }
            return m;
        }
    }

    private ForecastEvaluation() {}

    /** Windows of {@code inputSteps} + the longest horizon that fit in {@code steps} rows. */
    public static int windowCount(int steps, int inputSteps, int[] horizons) {
        return Math.max(0, steps - inputSteps - maxHorizon(horizons) + 1);
    }

    /** One forecaster, for convenience: its metrics per horizon. */
    public static List<ForecastMetrics> evaluate(
            SpeedMatrix test,
            long startMillisOfTestRow0,
            int stepSeconds,
            int inputSteps,
            int[] horizons,
            BatchForecaster forecaster) {
        return evaluate(
                        test,
                        startMillisOfTestRow0,
                        stepSeconds,
                        inputSteps,
                        horizons,
                        Map.of("model", forecaster))
                .metrics("model");
    }

    public static Result evaluate(
            SpeedMatrix test,
            long startMillisOfTestRow0,
            int stepSeconds,
            int inputSteps,
            int[] horizons,
            Map<String, ? extends BatchForecaster> forecasters) {
        return evaluate(
                test,
                startMillisOfTestRow0,
                stepSeconds,
                inputSteps,
                horizons,
                forecasters,
                DEFAULT_BATCH);
    }

    /**
     * Scores every forecaster on the same windows of the test part: window w is rows [w, w +
     * inputSteps), its targets the next max(horizons) rows, all inside {@code test}.
     *
     * @param startMillisOfTestRow0 time of the test part's row 0, from which each window's time
     *     follows
     * @param batchSize windows per {@link BatchForecaster#forecastBatch} call
     */
    public static Result evaluate(
            SpeedMatrix test,
            long startMillisOfTestRow0,
            int stepSeconds,
            int inputSteps,
            int[] horizons,
            Map<String, ? extends BatchForecaster> forecasters,
            int batchSize) {
        if (inputSteps < 1 || horizons.length == 0 || stepSeconds < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "need inputSteps >= 1, stepSeconds >= 1, batchSize >= 1 and a horizon");
        }
        int maxH = maxHorizon(horizons);
        Map<String, List<ForecastMetrics>> metrics = new LinkedHashMap<>();
        for (String name : forecasters.keySet()) {
            List<ForecastMetrics> perHorizon = new ArrayList<>();
            for (int h : horizons) {
                perHorizon.add(new ForecastMetrics(h));
            }
            metrics.put(name, perHorizon);
        }
        float[][] s = test.speeds();
        long stepMillis = stepSeconds * 1000L;
        int windows = windowCount(s.length, inputSteps, horizons);
        for (int first = 0; first < windows; first += batchSize) {
            int count = Math.min(batchSize, windows - first);
            List<Window> batch = new ArrayList<>(count);
            for (int w = first; w < first + count; w++) {
                float[][] speeds = new float[inputSteps][];
                System.arraycopy(s, w, speeds, 0, inputSteps);
                batch.add(new Window(speeds, startMillisOfTestRow0 + w * stepMillis));
            }
            List<Window> view = Collections.unmodifiableList(batch);
            for (Map.Entry<String, ? extends BatchForecaster> e : forecasters.entrySet()) {
                List<float[][]> yhat = e.getValue().forecastBatch(view, stepSeconds, maxH);
                score(
                        e.getKey(),
                        yhat,
                        s,
                        first,
                        count,
                        inputSteps,
                        maxH,
                        test.sensors(),
                        metrics.get(e.getKey()));
            }
        }
        return new Result(windows, inputSteps, stepSeconds, horizons.clone(), metrics);
    }

    private static void score(
            String model,
            List<float[][]> yhat,
            float[][] s,
            int first,
            int count,
            int inputSteps,
            int maxH,
            int sensors,
            List<ForecastMetrics> metrics) {
        if (yhat.size() != count) {
            throw new IllegalStateException(
                    "forecaster '"
                            + model
                            + "' returned "
                            + yhat.size()
                            + " forecasts for "
                            + count
                            + " windows");
        }
        for (int b = 0; b < count; b++) {
            float[][] f = yhat.get(b);
            int w = first + b;
            if (f.length < maxH) {
                throw new IllegalStateException(
                        "forecaster '"
                                + model
                                + "' returned "
                                + f.length
                                + " steps, expected "
                                + maxH);
            }
            for (int step = 1; step <= maxH; step++) {
                float[] truth = s[w + inputSteps + step - 1];
                float[] predicted = f[step - 1];
                if (predicted.length != sensors) {
                    throw new IllegalStateException(
                            "forecaster '"
                                    + model
                                    + "' returned "
                                    + predicted.length
                                    + " sensors, expected "
                                    + sensors);
                }
                for (int n = 0; n < sensors; n++) {
                    if (!Float.isNaN(truth[n]) && !Float.isFinite(predicted[n])) {
                        throw new IllegalStateException(
                                "forecaster '"
                                        + model
                                        + "' predicted "
                                        + predicted[n]
                                        + " for sensor "
                                        + n
                                        + " at step "
                                        + step
                                        + " of window "
                                        + w);
                    }
                    for (ForecastMetrics m : metrics) {
                        m.add(step, truth[n], predicted[n]);
                    }
                }
            }
        }
    }

    private static int maxHorizon(int[] horizons) {
        int maxH = 0;
        for (int h : horizons) {
            if (h < 1) {
                throw new IllegalArgumentException("horizons must be >= 1, got " + h);
            }
            maxH = Math.max(maxH, h);
        }
        return maxH;
    }
}
