package io.attnstream.traffic;

import io.attnstream.platform.RecordValidator;
import io.attnstream.schema.TrafficReading;

import java.util.Optional;

/** Range checks on sensor readings; anything failing goes to the dead-letter topic with the reason. */
public final class TrafficReadingValidator implements RecordValidator<TrafficReading> {
    private static final long serialVersionUID = 1L;
    /** Loop detectors report up to ~85 mph; above this the value is a sensor fault, not traffic. */
    public static final float MAX_SPEED_MPH = 120f;

    @Override
    public Optional<String> problem(TrafficReading r) {
        if (r.getSensorId().isBlank()) {
            return Optional.of("sensor_id is empty");
        }
        if (r.getNetworkId().isBlank()) {
            return Optional.of("network_id is empty");
        }
        float speed = r.getSpeedMph();
        if (!Float.isFinite(speed) || speed < 0 || speed > MAX_SPEED_MPH) {
            return Optional.of("speed_mph " + speed + " outside [0, " + MAX_SPEED_MPH + "]");
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
