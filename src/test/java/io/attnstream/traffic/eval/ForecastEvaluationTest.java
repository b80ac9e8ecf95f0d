package io.attnstream.traffic.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.traffic.SpeedMatrixFixtures;
import io.attnstream.traffic.data.SpeedMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForecastEvaluationTest {
    private static final int STEPS = 40;
    private static final int SENSORS = 3;
    private static final int INPUT = 12;
    private static final int[] HORIZONS = {3, 6, 12};
    private static final long T0 = 1_330_560_000_000L; // 2012-03-01T00:00Z
    private static final int STEP = 300;
    private static final float NAN = Float.NaN;

    private static double meanOfSquares(int h) {
        double sum = 0;
        for (int k = 1; k <= h; k++) {
            sum += (double) k * k;
        }
        return sum / h;
    }

    private static List<ForecastMetrics> lastValue(SpeedMatrix m, int input, int[] horizons) {
        return ForecastEvaluation.evaluate(
                m, T0, STEP, input, horizons, ForecastEvaluation.LAST_VALUE);
    }

    @Test
    void lastValueOnLinearRiseHasRmseOfRootMeanSquaredStep() {
        List<ForecastMetrics> metrics =
                lastValue(SpeedMatrixFixtures.linearRise(STEPS, SENSORS, 30f), INPUT, HORIZONS);

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
    void everyWindowIsScoredOnceWithItsOwnStartTime() {
        List<Long> starts = new ArrayList<>();
        List<Integer> askedHorizons = new ArrayList<>();
        ForecastEvaluation.Forecaster recording =
                (window, start, stepSeconds, horizon) -> {
                    assertThat(window).hasNumberOfRows(INPUT);
                    assertThat(stepSeconds).isEqualTo(STEP);
                    starts.add(start);
                    askedHorizons.add(horizon);
                    return ForecastEvaluation.LAST_VALUE.forecast(
                            window, start, stepSeconds, horizon);
                };

        List<ForecastMetrics> metrics =
                ForecastEvaluation.evaluate(
                        SpeedMatrixFixtures.linearRise(STEPS, SENSORS, 30f),
                        T0,
                        STEP,
                        INPUT,
                        HORIZONS,
                        recording);

        int windows = STEPS - INPUT - 12 + 1;
        assertThat(windows).isEqualTo(17);
        assertThat(ForecastEvaluation.windowCount(STEPS, INPUT, HORIZONS)).isEqualTo(windows);
        assertThat(starts).hasSize(windows);
        for (int w = 0; w < windows; w++) {
            assertThat(starts.get(w)).isEqualTo(T0 + w * 300_000L);
        }
        assertThat(askedHorizons).as("forecast once up to the longest horizon").containsOnly(12);
        assertThat(metrics)
                .extracting(ForecastMetrics::count)
                .containsExactly(
                        (long) windows * 3 * SENSORS,
                        (long) windows * 6 * SENSORS,
                        (long) windows * 12 * SENSORS);
    }

    @Test
    void windowsEndAtTheLastTargetRow() {
        // 4 steps 10, 11, 12, 13; input 1, horizon 2 -> windows at t=0 (10 -> 11, 12) and t=1 (11
        // -> 12, 13)
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(4, 1, 10f);

        ForecastMetrics metrics = lastValue(m, 1, new int[] {2}).get(0);

        assertThat(metrics.count()).isEqualTo(4);
        // errors -1, -2, -1, -2; truths 11, 12, 12, 13
        assertThat(metrics.rmse()).isEqualTo(Math.sqrt(10.0 / 4));
        assertThat(metrics.accuracy())
                .isCloseTo(1 - Math.sqrt(10.0) / Math.sqrt(121 + 144 + 144 + 169), within(1e-12));
        // MAPE = mean(1/11, 2/12, 1/12, 2/13) in %
        assertThat(metrics.mape())
                .isCloseTo(100 * (1 / 11.0 + 2 / 12.0 + 1 / 12.0 + 2 / 13.0) / 4, within(1e-9));
    }

    @Test
    void missingTargetsAreNotScored() {
        // 10, 11, NaN, 13: window 0 (10) scores only 11 (error -1); window 1 (11) scores only 13
        // (error -2).
        SpeedMatrix m = new SpeedMatrix(List.of("a"), new float[][] {{10}, {11}, {NAN}, {13}});

        ForecastMetrics metrics = lastValue(m, 1, new int[] {2}).get(0);

        assertThat(metrics.count()).isEqualTo(2);
        assertThat(metrics.missingTargets()).isEqualTo(2);
        assertThat(metrics.rmse()).isEqualTo(Math.sqrt((1.0 + 4.0) / 2));
        assertThat(metrics.mae()).isEqualTo(1.5);
        assertThat(metrics.singleStepRmse())
                .as("only window 1 has an observed step-2 target")
                .isEqualTo(2.0);
    }

    @Test
    void tooShortSeriesGivesNoWindows() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(INPUT + 12 - 1, 2, 50f);

        List<ForecastMetrics> metrics = lastValue(m, INPUT, HORIZONS);

        assertThat(metrics).extracting(ForecastMetrics::count).containsOnly(0L);
        assertThat(metrics.get(0).rmse()).isNaN();
    }

    @Test
    void lastValueRepeatsTheLastRowForEveryStepAsCopies() {
        float[][] window = {{1, 2}, {3, 4}};

        float[][] forecast = ForecastEvaluation.LAST_VALUE.forecast(window, T0, STEP, 3);

        assertThat(forecast).isDeepEqualTo(new float[][] {{3, 4}, {3, 4}, {3, 4}});
        forecast[0][0] = 99;
        assertThat(window[1][0]).as("input window untouched").isEqualTo(3);
        assertThat(forecast[1][0]).as("steps are independent arrays").isEqualTo(3);
    }

    @Test
    void lastValueSkipsMissingReadingsAndFallsBackToTheWindowMean() {
        float[][] window = {
            {1, 5, NAN},
            {7, NAN, NAN},
            {NAN, NAN, NAN}
        };

        float[][] forecast = ForecastEvaluation.LAST_VALUE.forecast(window, T0, STEP, 2);

        // sensor 0: last observed 7; sensor 1: last observed 5; sensor 2: never observed -> mean(1,
        // 5, 7) = 13/3
        assertThat(forecast[0][0]).isEqualTo(7f);
        assertThat(forecast[0][1]).isEqualTo(5f);
        assertThat(forecast[0][2]).isCloseTo(13f / 3, within(1e-6f));
        assertThat(forecast[1]).containsExactly(forecast[0]);
    }

    @Test
    void metricsFollowTheTgcnFormulas() {
        ForecastMetrics m = new ForecastMetrics(2);
        m.add(1, 4f, 4f); // error 0
        m.add(2, 3f, 0f); // error -3, at the horizon
        m.add(3, 100f, 0f); // beyond the horizon: ignored
        m.add(1, NAN, 50f); // missing truth: skipped

        assertThat(m.count()).isEqualTo(2);
        assertThat(m.missingTargets()).isEqualTo(1);
        assertThat(m.rmse()).isEqualTo(Math.sqrt(9.0 / 2));
        assertThat(m.mae()).isEqualTo(1.5);
        // accuracy = 1 - ||Y - Yhat||_F / ||Y||_F = 1 - 3 / sqrt(16 + 9) = 1 - 3/5
        assertThat(m.accuracy()).isCloseTo(0.4, within(1e-12));
        // MAPE = mean(0/4, 3/3) = 50 %
        assertThat(m.mape()).isCloseTo(50.0, within(1e-12));
        assertThat(m.singleStepRmse()).isEqualTo(3.0);
    }

    @Test
    void mapeLeavesOutZeroTruthsButTheOtherMetricsCountThem() {
        ForecastMetrics m = new ForecastMetrics(1);
        m.add(1, 0f, 2f); // counted in RMSE/MAE, no percentage
        m.add(1, 10f, 9f); // 10 %

        assertThat(m.count()).isEqualTo(2);
        assertThat(m.mae()).isEqualTo(1.5);
        assertThat(m.mape()).isCloseTo(10.0, within(1e-12));
    }

    @Test
    void perfectForecastHasZeroErrorAndAccuracyOne() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(30, 2, 40f);
        ForecastEvaluation.Forecaster oracle =
                (window, start, stepSeconds, horizon) -> {
                    float[] last = window[window.length - 1];
                    float[][] out = new float[horizon][last.length];
                    for (int h = 0; h < horizon; h++) {
                        for (int n = 0; n < last.length; n++) {
                            out[h][n] = last[n] + h + 1;
                        }
                    }
                    return out;
                };

        for (ForecastMetrics metrics :
                ForecastEvaluation.evaluate(m, T0, STEP, INPUT, HORIZONS, oracle)) {
            assertThat(metrics.rmse()).isZero();
            assertThat(metrics.mae()).isZero();
            assertThat(metrics.mape()).isZero();
            assertThat(metrics.accuracy()).isEqualTo(1.0);
        }
    }

    @Test
    void severalModelsAreScoredOnTheSameWindowsInOnePass() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(STEPS, SENSORS, 30f);
        List<Long> seenByA = new ArrayList<>();
        List<Long> seenByB = new ArrayList<>();
        ForecastEvaluation.Forecaster a =
                (w, start, step, h) -> {
                    seenByA.add(start);
                    return ForecastEvaluation.LAST_VALUE.forecast(w, start, step, h);
                };
        ForecastEvaluation.Forecaster b =
                (w, start, step, h) -> {
                    seenByB.add(start);
                    float[][] out = ForecastEvaluation.LAST_VALUE.forecast(w, start, step, h);
                    for (int k = 0; k < h; k++) {
                        for (int n = 0; n < out[k].length; n++) {
                            out[k][n] += k + 1; // exact on a 1 mph/step rise
                        }
                    }
                    return out;
                };
        Map<String, ForecastEvaluation.BatchForecaster> models = new LinkedHashMap<>();
        models.put("b", b);
        models.put("a", a);

        ForecastEvaluation.Result r =
                ForecastEvaluation.evaluate(m, T0, STEP, INPUT, HORIZONS, models);

        assertThat(r.windows()).isEqualTo(17);
        assertThat(r.metrics().keySet()).containsExactly("b", "a");
        assertThat(seenByA).hasSize(17).isEqualTo(seenByB);
        assertThat(r.metrics("a").get(2).rmse()).isEqualTo(Math.sqrt(650.0 / 12));
        assertThat(r.metrics("b").get(2).rmse()).isZero();
    }

    @Test
    void batchForecasterReceivesWindowsInBatchesOfAtMostTheBatchSize() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(STEPS, SENSORS, 30f);
        List<Integer> batchSizes = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        ForecastEvaluation.BatchForecaster batched =
                (windows, step, horizon) -> {
                    batchSizes.add(windows.size());
                    List<float[][]> out = new ArrayList<>();
                    for (ForecastEvaluation.Window w : windows) {
                        starts.add(w.startMillis());
                        out.add(
                                ForecastEvaluation.LAST_VALUE.forecast(
                                        w.speeds(), w.startMillis(), step, horizon));
                    }
                    return out;
                };

        ForecastEvaluation.Result r =
                ForecastEvaluation.evaluate(
                        m, T0, STEP, INPUT, HORIZONS, Map.of("batched", batched), 5);

        assertThat(batchSizes).containsExactly(5, 5, 5, 2);
        assertThat(starts).first().isEqualTo(T0);
        assertThat(starts).last().isEqualTo(T0 + 16 * 300_000L);
        assertThat(r.metrics("batched").get(0).rmse()).isEqualTo(Math.sqrt(14.0 / 3));
    }

    @Test
    void windowsNeverReachIntoTheTrainingPart() {
        // 40 rows: the first 30 are "training" and hold a sentinel no test window may ever see.
        float[][] rows = SpeedMatrixFixtures.linearRise(40, 2, 30f).speeds();
        for (int t = 0; t < 30; t++) {
            rows[t] = new float[] {999f, 999f};
        }
        SpeedMatrix all = new SpeedMatrix(List.of("a", "b"), rows);
        ForecastEvaluation.Split split = ForecastEvaluation.Split.chronological(all, 0.25);
        List<Long> starts = new ArrayList<>();
        ForecastEvaluation.Forecaster guard =
                (w, start, step, h) -> {
                    for (float[] row : w) {
                        assertThat(row).doesNotContain(999f);
                    }
                    starts.add(start);
                    return ForecastEvaluation.LAST_VALUE.forecast(w, start, step, h);
                };

        long testStart = T0 + split.testFromRow() * 300_000L;
        ForecastEvaluation.Result r =
                ForecastEvaluation.evaluate(
                        split.test(), testStart, STEP, 2, new int[] {3}, Map.of("guard", guard));

        assertThat(split.testFromRow()).isEqualTo(30);
        assertThat(split.train().steps()).isEqualTo(30);
        assertThat(split.test().steps()).isEqualTo(10);
        assertThat(r.windows()).isEqualTo(10 - 2 - 3 + 1);
        assertThat(starts).first().isEqualTo(T0 + 30 * 300_000L);
        // targets are test rows too: the error is the rise, never 999 - x
        assertThat(r.metrics("guard").get(0).rmse()).isEqualTo(Math.sqrt(14.0 / 3));
    }

    @Test
    void aNonFinitePredictionForAnObservedTargetIsAnErrorNamingTheModel() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(30, 2, 40f);
        ForecastEvaluation.Forecaster broken = (w, start, step, h) -> new float[h][2];
        ForecastEvaluation.Forecaster nan =
                (w, start, step, h) -> {
                    float[][] out = new float[h][2];
                    out[0][1] = NAN;
                    return out;
                };

        assertThatThrownBy(
                        () ->
                                ForecastEvaluation.evaluate(
                                        m, T0, STEP, INPUT, HORIZONS, Map.of("nan-model", nan)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'nan-model'")
                .hasMessageContaining("sensor 1");
        assertThatThrownBy(
                        () ->
                                ForecastEvaluation.evaluate(
                                        m,
                                        T0,
                                        STEP,
                                        INPUT,
                                        HORIZONS,
                                        Map.of(
                                                "short",
                                                (ForecastEvaluation.Forecaster)
                                                        (w, s, st, h) -> new float[h - 1][2])))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'short' returned 11 steps");
        assertThat(ForecastEvaluation.evaluate(m, T0, STEP, INPUT, HORIZONS, broken)).isNotEmpty();
    }
}
