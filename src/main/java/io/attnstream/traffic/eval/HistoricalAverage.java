package io.attnstream.traffic.eval;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.data.SpeedMatrix;

/**
 * The "HA" baseline of the traffic literature: the mean observed speed per (sensor, day of week,
 * time-of-day slot) over a training part, used as the forecast for any future time with the same
 * day of week and slot. It looks at the targets' times only, never at the window's values.
 *
 * <p>Cells without training data fall back, in order, to the sensor's mean at that slot over all
 * days, the sensor's mean, and the mean of all sensors. Calendars are UTC; Monday = day 0.
 */
public final class HistoricalAverage implements ForecastEvaluation.Forecaster {
    private static final long DAY_MILLIS = 86_400_000L;

    private final int sensors;
    private final int stepSeconds;
    private final int slotsPerDay;
    private final float[][][] mean; // (N, 7, slots), every cell filled by the fallback chain

    private HistoricalAverage(int sensors, int stepSeconds, float[][][] mean) {
        this.sensors = sensors;
        this.stepSeconds = stepSeconds;
        this.slotsPerDay = mean[0][0].length;
        this.mean = mean;
    }

    /**
     * @param train (T, N) training rows, NaN = missing (skipped)
     * @param startMillis time of row 0; row t is at {@code startMillis + t * stepSeconds * 1000}
     * @param stepSeconds row spacing and slot width; must divide a day
     */
    public static HistoricalAverage fit(SpeedMatrix train, long startMillis, int stepSeconds) {
        if (stepSeconds < 1 || 86_400 % stepSeconds != 0) {
            throw new IllegalArgumentException("stepSeconds must divide a day, got " + stepSeconds);
        }
        int n = train.sensors();
        int slots = 86_400 / stepSeconds;
        double[][][] sum = new double[n][7][slots];
        int[][][] count = new int[n][7][slots];
        float[][] s = train.speeds();
        for (int t = 0; t < s.length; t++) {
            long time = startMillis + t * stepSeconds * 1000L;
            int day = dayOfWeek(time);
            int slot = slot(time, stepSeconds);
            for (int i = 0; i < n; i++) {
                if (!Float.isNaN(s[t][i])) {
                    sum[i][day][slot] += s[t][i];
                    count[i][day][slot]++;
                }
            }
        }
        return new HistoricalAverage(n, stepSeconds, fillWithFallbacks(sum, count));
    }

    private static float[][][] fillWithFallbacks(double[][][] sum, int[][][] count) {
        int n = sum.length;
        int slots = sum[0][0].length;
        double globalSum = 0;
        long globalCount = 0;
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 7; d++) {
                for (int k = 0; k < slots; k++) {
                    globalSum += sum[i][d][k];
                    globalCount += count[i][d][k];
                }
            }
        }
        if (globalCount == 0) {
            throw new AttnstreamException(
                    "historical average: the training part has no observed speed to average");
        }
        float global = (float) (globalSum / globalCount);
        float[][][] mean = new float[n][7][slots];
        for (int i = 0; i < n; i++) {
            double sensorSum = 0;
            long sensorCount = 0;
            double[] slotSum = new double[slots];
            int[] slotCount = new int[slots];
            for (int d = 0; d < 7; d++) {
                for (int k = 0; k < slots; k++) {
                    slotSum[k] += sum[i][d][k];
                    slotCount[k] += count[i][d][k];
                    sensorSum += sum[i][d][k];
                    sensorCount += count[i][d][k];
                }
            }
            float sensorMean = sensorCount > 0 ? (float) (sensorSum / sensorCount) : global;
            for (int d = 0; d < 7; d++) {
                for (int k = 0; k < slots; k++) {
                    if (count[i][d][k] > 0) {
                        mean[i][d][k] = (float) (sum[i][d][k] / count[i][d][k]);
                    } else if (slotCount[k] > 0) {
                        mean[i][d][k] = (float) (slotSum[k] / slotCount[k]);
                    } else {
                        mean[i][d][k] = sensorMean;
                    }
                }
            }
        }
        return mean;
    }

    /** Monday = 0 .. Sunday = 6, in UTC. */
    static int dayOfWeek(long epochMillis) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        return (int) Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday
    }

    static int slot(long epochMillis, int stepSeconds) {
        return (int) (Math.floorMod(epochMillis, DAY_MILLIS) / (stepSeconds * 1000L));
    }

    /** The average for sensor i at this time. */
    public float predict(int sensor, long epochMillis) {
        return mean[sensor][dayOfWeek(epochMillis)][slot(epochMillis, stepSeconds)];
    }

    public int sensors() {
        return sensors;
    }

    public int stepSeconds() {
        return stepSeconds;
    }

    public int slotsPerDay() {
        return slotsPerDay;
    }

    @Override
    public float[][] forecast(
            float[][] window, long windowStartMillis, int stepSeconds, int horizon) {
        if (window.length > 0 && window[0].length != sensors) {
            throw new IllegalArgumentException(
                    "window has "
                            + window[0].length
                            + " sensors, the historical average "
                            + sensors);
        }
        long stepMillis = stepSeconds * 1000L;
        float[][] out = new float[horizon][sensors];
        for (int h = 0; h < horizon; h++) {
            long time = windowStartMillis + (window.length + h) * stepMillis; // target row T + h
            for (int i = 0; i < sensors; i++) {
                out[h][i] = predict(i, time);
            }
        }
        return out;
    }
}
