package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.TrafficReading;
import io.attnstream.traffic.SpeedMatrixFixtures;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrafficReadingValidatorTest {
    private final TrafficReadingValidator validator = new TrafficReadingValidator();

    private String problemOf(TrafficReading.Builder reading) {
        return validator
                .problem(reading.build())
                .orElseThrow(() -> new AssertionError("accepted " + reading.build()));
    }

    @Test
    void validReadingHasNoProblem() {
        assertThat(validator.problem(SpeedMatrixFixtures.validReading().build())).isEmpty();
    }

    @Test
    void optionalMeasurementsMayBeAbsent() {
        assertThat(
                        validator.problem(
                                SpeedMatrixFixtures.validReading()
                                        .setFlowVph(null)
                                        .setOccupancy(null)
                                        .build()))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 120f})
    void speedBoundsAreInclusive(float speed) {
        assertThat(validator.problem(SpeedMatrixFixtures.validReading().setSpeedMph(speed).build()))
                .isEmpty();
    }

    @Test
    void nanSpeedIsRejectedNamingTheField() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setSpeedMph(Float.NaN)))
                .isEqualTo("speed_mph NaN outside [0, 120.0]");
    }

    @Test
    void infiniteSpeedIsRejectedNamingTheField() {
        assertThat(
                        problemOf(
                                SpeedMatrixFixtures.validReading()
                                        .setSpeedMph(Float.POSITIVE_INFINITY)))
                .isEqualTo("speed_mph Infinity outside [0, 120.0]");
    }

    @Test
    void negativeSpeedIsRejectedNamingTheField() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setSpeedMph(-0.5f)))
                .isEqualTo("speed_mph -0.5 outside [0, 120.0]");
    }

    @Test
    void speedAbove120IsRejectedNamingTheField() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setSpeedMph(120.5f)))
                .isEqualTo("speed_mph 120.5 outside [0, 120.0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptySensorIdIsRejected(String id) {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setSensorId(id)))
                .isEqualTo("sensor_id is empty");
    }

    @Test
    void emptyNetworkIdIsRejected() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setNetworkId("")))
                .isEqualTo("network_id is empty");
    }

    @Test
    void occupancyAboveOneIsRejectedNamingTheField() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setOccupancy(1.5f)))
                .isEqualTo("occupancy 1.5 outside [0, 1]");
    }

    @Test
    void nanOccupancyIsRejectedNamingTheField() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setOccupancy(Float.NaN)))
                .isEqualTo("occupancy NaN outside [0, 1]");
    }

    @Test
    void negativeFlowIsRejectedNamingTheField() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setFlowVph(-1f)))
                .isEqualTo("flow_vph -1.0 is negative or not finite");
    }

    @Test
    void epochEventTimeIsRejectedNamingTheField() {
        assertThat(problemOf(SpeedMatrixFixtures.validReading().setEventTime(Instant.EPOCH)))
                .isEqualTo("event_time 1970-01-01T00:00:00Z is not after 1970");
    }
}
