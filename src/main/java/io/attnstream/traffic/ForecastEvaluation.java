package io.attnstream.traffic;

import java.util.ArrayList;
import java.util.List;

/**
 * The published Los-loop protocol (T-GCN): split the series chronologically, cut the test part into windows of
 * {@code inputSteps} inputs followed by {@code maxHorizon} targets (windows lie wholly inside the test part) and
 * score every forecaster on the same windows at several horizons.
 */
public final class ForecastEvaluation {
    /** A forecaster for evaluation: next {@code horizon} steps of every sensor from the input window. */
    @FunctionalInterface
    public interface Forecaster {
        /** @param window (T, N) input speeds, oldest first; @return (H, N) */
        float[][] forecast(float[][] window, int horizon);
    }

    public static final Forecaster LAST_VALUE = (window, horizon) -> {
        float[] last = window[window.length - 1];
        float[][] out = new float[horizon][];
        for (int h = 0; h < horizon; h++) {
            out[h] = last.clone();
        }
        return out;
    };

    private ForecastEvaluation() {}

    /** @return one metrics object per requested horizon, in the order given */
    public static List<ForecastMetrics> evaluate(SpeedMatrix test, int inputSteps, int[] horizons, Forecaster f) {
        int maxH = 0;
        for (int h : horizons) {
            maxH = Math.max(maxH, h);
        }
        List<ForecastMetrics> metrics = new ArrayList<>();
        for (int h : horizons) {
            metrics.add(new ForecastMetrics(h));
        }
        float[][] s = test.speeds();
        for (int t = 0; t + inputSteps + maxH <= s.length; t++) {
            float[][] window = new float[inputSteps][];
            System.arraycopy(s, t, window, 0, inputSteps);
            float[][] yhat = f.forecast(window, maxH);
            for (int step = 1; step <= maxH; step++) {
                float[] truth = s[t + inputSteps + step - 1];
                for (int n = 0; n < truth.length; n++) {
                    for (ForecastMetrics m : metrics) {
                        m.add(step, truth[n], yhat[step - 1][n]);
                    }
                }
            }
        }
        return metrics;
    }
}
