package io.attnstream.traffic.eval;

/**
 * Accumulates the T-GCN protocol's metrics for forecasts up to a horizon, over every predicted step
 * up to it: RMSE, MAE, MAPE (%), accuracy = 1 - ||Y - Yhat||_F / ||Y||_F, plus the single-step RMSE
 * at exactly the horizon. Only observed targets count: a missing (NaN) truth is skipped, because
 * there is nothing to compare with.
 */
public final class ForecastMetrics {
    private final int horizon;
    private double sumSq;
    private double sumAbs;
    private double sumSqTruth;
    private long count;
    private double sumApe;
    private long apeCount;
    private double lastStepSumSq;
    private long lastStepCount;
    private long missingTargets;

    public ForecastMetrics(int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        this.horizon = horizon;
    }

    /**
     * @param step 1-based forecast step of this value; steps beyond the horizon are ignored
     * @param truth observed speed, NaN if missing (then skipped)
     */
    public void add(int step, float truth, float predicted) {
        if (step > horizon) {
            return;
        }
        if (Float.isNaN(truth)) {
            missingTargets++;
            return;
        }
        double e = (double) predicted - truth;
        sumSq += e * e;
        sumAbs += Math.abs(e);
        sumSqTruth += (double) truth * truth;
        count++;
        // A percentage of 0 is undefined; with zero-means-missing data a 0 truth never gets here.
        if (truth != 0f) {
            sumApe += Math.abs(e) / Math.abs(truth);
            apeCount++;
        }
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

    /** Mean absolute percentage error in percent, over targets that are not 0. */
    public double mape() {
        return 100.0 * sumApe / apeCount;
    }

    public double accuracy() {
        return 1.0 - Math.sqrt(sumSq) / Math.sqrt(sumSqTruth);
    }

    public double singleStepRmse() {
        return Math.sqrt(lastStepSumSq / lastStepCount);
    }

    /** Scored (observed) target values. */
    public long count() {
        return count;
    }

    /** Target values skipped because the truth is missing. */
    public long missingTargets() {
        return missingTargets;
    }
}
