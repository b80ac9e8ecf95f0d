package io.attnstream.traffic;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForecastEvaluationTest {
    private static final int STEPS = 40;
    private static final int SENSORS = 3;
    private static final int INPUT = 12;
    private static final int[] HORIZONS = {3, 6, 12};

    private static double meanOfSquares(int h) {
        double sum = 0;
        for (int k = 1; k <= h; k++) {
            sum += (double) k * k;
        }
        return sum / h;
    }

    @Test
    void lastValueOnLinearRiseHasRmseOfRootMeanSquaredStep() {
        List<ForecastMetrics> metrics = ForecastEvaluation.evaluate(
                SpeedMatrixFixtures.linearRise(STEPS, SENSORS, 30f), INPUT, HORIZONS, ForecastEvaluation.LAST_VALUE);

        assertThat(metrics).extracting(ForecastMetrics::horizon).containsExactly(3, 6, 12);
        for (ForecastMetrics m : metrics) {
            int h = m.horizon();
            assertThat(m.rmse()).as("RMSE at %d", h).isEqualTo(Math.sqrt(meanOfSquares(h)));
            assertThat(m.mae()).as("MAE at %d", h).isEqualTo((h + 1) / 2.0);
            assertThat(m.singleStepRmse()).as("single-step RMSE at %d", h).isEqualTo(h);
        }
        assertThat(metrics.get(0).rmse()).isEqualTo(Math.sqrt(14.0 / 3));
        assertThat(metrics.get(2).rmse()).isEqualTo(Math.sqrt(650.0 / 12));
    }

    @Test
    void windowCountIsStepsMinusInputMinusMaxHorizonPlusOne() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger askedHorizon = new AtomicInteger();
        ForecastEvaluation.Forecaster counting = (window, horizon) -> {
            calls.incrementAndGet();
            askedHorizon.set(horizon);
            assertThat(window).hasNumberOfRows(INPUT);
            return ForecastEvaluation.LAST_VALUE.forecast(window, horizon);
        };

        List<ForecastMetrics> metrics = ForecastEvaluation.evaluate(
                SpeedMatrixFixtures.linearRise(STEPS, SENSORS, 30f), INPUT, HORIZONS, counting);

        int windows = STEPS - INPUT - 12 + 1;
        assertThat(windows).isEqualTo(17);
        assertThat(calls.get()).isEqualTo(windows);
        assertThat(askedHorizon.get()).as("forecast once up to the longest horizon").isEqualTo(12);
        // every horizon is scored on the same windows: h values per sensor per window
        assertThat(metrics).extracting(ForecastMetrics::count)
                .containsExactly((long) windows * 3 * SENSORS, (long) windows * 6 * SENSORS, (long) windows * 12 * SENSORS);
    }

    @Test
    void windowsEndAtTheLastTargetRow() {
        // 4 steps 10, 11, 12, 13; input 1, horizon 2 -> windows at t=0 (10 -> 11, 12) and t=1 (11 -> 12, 13)
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(4, 1, 10f);

        ForecastMetrics metrics = ForecastEvaluation.evaluate(m, 1, new int[] {2}, ForecastEvaluation.LAST_VALUE).get(0);

        assertThat(metrics.count()).isEqualTo(4);
        // errors -1, -2, -1, -2; truths 11, 12, 12, 13
        assertThat(metrics.rmse()).isEqualTo(Math.sqrt(10.0 / 4));
        assertThat(metrics.accuracy()).isCloseTo(1 - Math.sqrt(10.0) / Math.sqrt(121 + 144 + 144 + 169), within(1e-12));
    }

    @Test
    void tooShortSeriesGivesNoWindows() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(INPUT + 12 - 1, 2, 50f);

        List<ForecastMetrics> metrics = ForecastEvaluation.evaluate(m, INPUT, HORIZONS, ForecastEvaluation.LAST_VALUE);

        assertThat(metrics).extracting(ForecastMetrics::count).containsOnly(0L);
        assertThat(metrics.get(0).rmse()).isNaN();
    }

    @Test
    void lastValueRepeatsTheLastRowForEveryStepAsCopies() {
        float[][] window = {{1, 2}, {3, 4}};

        float[][] forecast = ForecastEvaluation.LAST_VALUE.forecast(window, 3);

        assertThat(forecast).isDeepEqualTo(new float[][] {{3, 4}, {3, 4}, {3, 4}});
        forecast[0][0] = 99;
        assertThat(window[1][0]).as("input window untouched").isEqualTo(3);
        assertThat(forecast[1][0]).as("steps are independent arrays").isEqualTo(3);
    }

    @Test
    void metricsFollowTheTgcnFormulas() {
        ForecastMetrics m = new ForecastMetrics(2);
        m.add(1, 4f, 4f);   // error 0
        m.add(2, 3f, 0f);   // error -3, at the horizon
        m.add(3, 100f, 0f); // beyond the horizon: ignored

        assertThat(m.count()).isEqualTo(2);
        assertThat(m.rmse()).isEqualTo(Math.sqrt(9.0 / 2));
        assertThat(m.mae()).isEqualTo(1.5);
        // accuracy = 1 - ||Y - Yhat||_F / ||Y||_F = 1 - 3 / sqrt(16 + 9) = 1 - 3/5
        assertThat(m.accuracy()).isCloseTo(0.4, within(1e-12));
        assertThat(m.singleStepRmse()).isEqualTo(3.0);
    }

    @Test
    void perfectForecastHasZeroErrorAndAccuracyOne() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(30, 2, 40f);
        ForecastEvaluation.Forecaster oracle = (window, horizon) -> {
            float[] last = window[window.length - 1];
            float[][] out = new float[horizon][last.length];
            for (int h = 0; h < horizon; h++) {
                for (int n = 0; n < last.length; n++) {
                    out[h][n] = last[n] + h + 1;
                }
            }
            return out;
        };

        for (ForecastMetrics metrics : ForecastEvaluation.evaluate(m, INPUT, HORIZONS, oracle)) {
            assertThat(metrics.rmse()).isZero();
            assertThat(metrics.mae()).isZero();
            assertThat(metrics.accuracy()).isEqualTo(1.0);
        }
    }
}
