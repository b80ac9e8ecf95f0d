package io.attnstream.traffic;

/**
 * Accumulates the T-GCN protocol's metrics for forecasts up to a horizon: RMSE and MAE over all predicted steps
 * up to it, accuracy = 1 - ||Y - Yhat||_F / ||Y||_F, and the single-step RMSE at exactly the horizon.
 */
public final class ForecastMetrics {
    private final int horizon;
    private double sumSq;
    private double sumAbs;
    private double sumSqTruth;
    private long count;
    private double lastStepSumSq;
    private long lastStepCount;

    public ForecastMetrics(int horizon) {
        this.horizon = horizon;
    }

    /** @param step 1-based forecast step of this value */
    public void add(int step, float truth, float predicted) {
        if (step > horizon) {
            return;
        }
        double e = predicted - truth;
        sumSq += e * e;
        sumAbs += Math.abs(e);
        sumSqTruth += (double) truth * truth;
        count++;
        if (step == horizon) {
            lastStepSumSq += e * e;
            lastStepCount++;
        }
    }

    public int horizon() {
        return horizon;
    }

    public double rmse() {
        return Math.sqrt(sumSq / count);
    }

    public double mae() {
        return sumAbs / count;
    }

    public double accuracy() {
        return 1.0 - Math.sqrt(sumSq) / Math.sqrt(sumSqTruth);
    }

    public double singleStepRmse() {
        return Math.sqrt(lastStepSumSq / lastStepCount);
    }

    public long count() {
        return count;
    }
}
