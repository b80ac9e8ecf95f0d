package io.attnstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysAlongACosineToTheFloor() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3f, 1e-5f, 10);

        assertThat(schedule.rate(0, 0)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(schedule.rate(4, 0)).isCloseTo(5e-4f, within(1e-9f));
        assertThat(schedule.rate(9, 0)).isCloseTo(1e-3f, within(1e-9f));
        assertThat(schedule.rate(100, 0.5)).isCloseTo((1e-3f + 1e-5f) / 2, within(1e-9f));
        assertThat(schedule.rate(100, 1)).isCloseTo(1e-5f, within(1e-10f));
        assertThat(schedule.rate(100, 3))
                .as("clamped past the end")
                .isCloseTo(1e-5f, within(1e-10f));
    }

    @Test
    void theOptimiserSeesTheRateOfTheLastUpdateForEveryParameter() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3f, 0f, 0);

        float set = schedule.update(50, 0.25);

        assertThat(schedule.getNewValue("any parameter", 12345)).isEqualTo(set);
        assertThat(schedule.getNewValue(0)).isEqualTo(set);
        assertThat(set).isCloseTo((float) (1e-3 * (1 + Math.cos(Math.PI / 4)) / 2), within(1e-9f));
    }

    @Test
    void aFloorAboveThePeakIsRejected() {
        assertThatThrownBy(() -> new LearningRateSchedule(1e-4f, 1e-3f, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floor <= peak");
    }
}
