package io.attnstream.traffic.job;

import io.attnstream.platform.RecordValidator;
import io.attnstream.schema.TrafficReading;
import java.util.Optional;
import java.util.Set;

/**
 * Range checks on sensor readings; anything failing goes to the dead-letter topic with the reason.
 * A model forecasts a fixed set of sensors, so with {@code knownSensors} a reading of any other
 * sensor is rejected here (it has no column in the model's input).
 */
public final class TrafficReadingValidator implements RecordValidator<TrafficReading> {
    private static final long serialVersionUID = 1L;

    /** Loop detectors report up to ~85 mph; above this the value is a sensor fault, not traffic. */
    public static final float MAX_SPEED_MPH = 120f;

    private final float maxSpeed;
    private final Set<String> knownSensors;

    /** Any sensor, speeds up to {@link #MAX_SPEED_MPH}. */
    public TrafficReadingValidator() {
        this(MAX_SPEED_MPH, null);
    }

    /**
     * @param knownSensors the sensors a reading may come from; null accepts any
     */
    public TrafficReadingValidator(float maxSpeed, Set<String> knownSensors) {
        if (!(maxSpeed > 0)) {
            throw new IllegalArgumentException("maximum speed must be > 0, got " + maxSpeed);
        }
        this.maxSpeed = maxSpeed;
        this.knownSensors = knownSensors == null ? null : Set.copyOf(knownSensors);
    }

    @Override
    public Optional<String> problem(TrafficReading r) {
        if (r.getSensorId().isBlank()) {
            return Optional.of("sensor_id is empty");
        }
        if (r.getNetworkId().isBlank()) {
            return Optional.of("network_id is empty");
        }
        if (knownSensors != null && !knownSensors.contains(r.getSensorId())) {
            return Optional.of(
                    "sensor_id '"
                            + r.getSensorId()
                            + "' is not one of the model's "
                            + knownSensors.size()
                            + " sensors");
        }
        float speed = r.getSpeedMph();
        if (!Float.isFinite(speed) || speed < 0 || speed > maxSpeed) {
            return Optional.of("speed_mph " + speed + " outside [0, " + maxSpeed + "]");
        }
        if (r.getFlowVph() != null && (!Float.isFinite(r.getFlowVph()) || r.getFlowVph() < 0)) {
            return Optional.of("flow_vph " + r.getFlowVph() + " is negative or not finite");
        }
        if (r.getOccupancy() != null && !(r.getOccupancy() >= 0 && r.getOccupancy() <= 1)) {
            return Optional.of("occupancy " + r.getOccupancy() + " outside [0, 1]");
        }
        if (r.getEventTime().toEpochMilli() <= 0) {
            return Optional.of("event_time " + r.getEventTime() + " is not after 1970");
        }
        return Optional.empty();
    }
}
