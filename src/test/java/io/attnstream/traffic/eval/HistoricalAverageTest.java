package io.attnstream.traffic.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.data.SpeedMatrix;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoricalAverageTest {
    /** Six-hour steps: four slots a day keep the hand computations small. */
    private static final int STEP = 21_600;

    private static final long STEP_MS = STEP * 1000L;
    private static final long MONDAY = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;
    private static final float NAN = Float.NaN;

    @Test
    void daysOfTheWeekStartOnMondayInUtc() {
        assertThat(HistoricalAverage.dayOfWeek(MONDAY)).isZero();
        assertThat(HistoricalAverage.dayOfWeek(MONDAY + 6 * DAY + DAY - 1)).isEqualTo(6);
        assertThat(
                        HistoricalAverage.dayOfWeek(
                                Instant.parse("2012-03-01T12:00:00Z").toEpochMilli()))
                .as("Los-loop starts on a Thursday")
                .isEqualTo(3);
        assertThat(HistoricalAverage.slot(MONDAY + 13 * 3_600_000L, 300)).isEqualTo(13 * 12);
    }

    @Test
    void averagesTheSameSlotOfTheSameDayOfWeek() {
        // Two weeks, one sensor; Monday's slot 1 reads 40 in week 1 and 50 in week 2, everything
        // else 60.
        float[][] rows = new float[14 * 4][1];
        for (float[] row : rows) {
            row[0] = 60;
        }
        rows[1][0] = 40;
        rows[7 * 4 + 1][0] = 50;
        HistoricalAverage ha =
                HistoricalAverage.fit(new SpeedMatrix(List.of("a"), rows), MONDAY, STEP);

        long mondayWeek3Slot1 = MONDAY + 14 * DAY + STEP_MS;
        assertThat(ha.predict(0, mondayWeek3Slot1)).isEqualTo(45f);
        assertThat(ha.predict(0, mondayWeek3Slot1 + DAY)).as("Tuesday slot 1").isEqualTo(60f);
        assertThat(ha.slotsPerDay()).isEqualTo(4);
    }

    @Test
    void emptyCellsFallBackToSlotThenSensorThenGlobalMean() {
        // Monday and Tuesday (8 rows), 2 sensors. Sensor 1 is never observed. Sensor 0 misses slot
        // 3 on both days.
        float[][] rows = {
            {10, NAN}, {20, NAN}, {30, NAN}, {NAN, NAN}, // Monday slots 0..3
            {14, NAN}, {NAN, NAN}, {NAN, NAN}, {NAN, NAN}, // Tuesday slots 0..3
        };
        HistoricalAverage ha =
                HistoricalAverage.fit(new SpeedMatrix(List.of("a", "b"), rows), MONDAY, STEP);
        long wednesday = MONDAY + 2 * DAY;

        assertThat(ha.predict(0, MONDAY + 7 * DAY))
                .as("own cell: next Monday slot 0")
                .isEqualTo(10f);
        assertThat(ha.predict(0, wednesday))
                .as("slot 0 over all days: (10 + 14) / 2")
                .isEqualTo(12f);
        assertThat(ha.predict(0, MONDAY + DAY + STEP_MS))
                .as("Tuesday slot 1 empty: slot 1 over all days")
                .isEqualTo(20f);
        assertThat(ha.predict(0, wednesday + 3 * STEP_MS))
                .as("slot 3 never observed: sensor mean (10+20+30+14)/4")
                .isEqualTo(18.5f);
        assertThat(ha.predict(1, wednesday))
                .as("sensor never observed: global mean")
                .isEqualTo(18.5f);
    }

    @Test
    void forecastsFromTheTargetTimesNotTheWindowValues() {
        float[][] rows = new float[7 * 4][1];
        for (int t = 0; t < rows.length; t++) {
            rows[t][0] = 50 + t % 4; // slot k reads 50 + k every day
        }
        HistoricalAverage ha =
                HistoricalAverage.fit(new SpeedMatrix(List.of("a"), rows), MONDAY, STEP);
        float[][] window = {{999}, {999}, {999}}; // rows at slots 0, 1, 2 of a Monday

        float[][] forecast = ha.forecast(window, MONDAY + 7 * DAY, STEP, 3);

        // targets: rows 3, 4, 5 after the window start = slot 3, then Tuesday slots 0 and 1
        assertThat(forecast).isDeepEqualTo(new float[][] {{53}, {50}, {51}});
    }

    @Test
    void aTrainingPartWithoutObservationsIsAClearError() {
        SpeedMatrix empty = new SpeedMatrix(List.of("a"), new float[][] {{NAN}, {NAN}});

        assertThatThrownBy(() -> HistoricalAverage.fit(empty, MONDAY, STEP))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("no observed speed");
    }

    @Test
    void aWindowWithADifferentSensorCountIsRejected() {
        HistoricalAverage ha =
                HistoricalAverage.fit(
                        new SpeedMatrix(List.of("a"), new float[][] {{50}}), MONDAY, STEP);

        assertThatThrownBy(() -> ha.forecast(new float[][] {{1, 2}}, MONDAY, STEP, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 sensors");
    }
}
