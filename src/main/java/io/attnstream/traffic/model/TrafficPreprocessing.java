package io.attnstream.traffic.model;

import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.Preprocessing;
import io.attnstream.platform.AttnstreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A traffic forecaster's model.json {@code preprocessing}, read once and checked: what the
 * evaluator, the stream's aligner, validator and translator need to feed the model.
 *
 * @param sensorIds the N sensors in the model's column order
 * @param stepSeconds seconds between two input steps
 * @param inputSteps T
 * @param horizon H
 * @param zeroIsMissing whether a 0 speed means "no reading"
 * @param maxSpeedMph the largest plausible speed (the largest training speed x {@link
 *     TrafficModels#MAX_SPEED_FACTOR})
 */
public record TrafficPreprocessing(
        List<String> sensorIds,
        WindowEncoder.Normalisation normalisation,
        long stepSeconds,
        int inputSteps,
        int horizon,
        boolean zeroIsMissing,
        double maxSpeedMph)
        implements Serializable {
    /** Keys of model.json's {@code preprocessing}. */
    static final String SENSOR_IDS = "sensor_ids";

    static final String MEAN = "mean";
    static final String STD = "std";
    static final String STEP_SECONDS = "step_seconds";
    static final String INPUT_STEPS = "input_steps";
    static final String HORIZON = "horizon";
    static final String ZERO_IS_MISSING = "zero_is_missing";
    static final String MAX_SPEED_MPH = "max_speed_mph";

    public TrafficPreprocessing {
        sensorIds = List.copyOf(sensorIds);
    }

    /**
     * @throws AttnstreamException naming the model and the key when a value is missing, of the
     *     wrong type or refused (e.g. a zero std)
     */
    public static TrafficPreprocessing of(ModelSpec spec) {
        double mean = Preprocessing.number(spec, MEAN).doubleValue();
        double std = Preprocessing.number(spec, STD).doubleValue();
        WindowEncoder.Normalisation normalisation;
        try {
            normalisation = new WindowEncoder.Normalisation((float) mean, (float) std);
        } catch (IllegalArgumentException e) {
            throw Preprocessing.rejected(spec, e);
        }
        return new TrafficPreprocessing(
                Preprocessing.strings(spec, SENSOR_IDS, "a list of sensor ids"),
                normalisation,
                Preprocessing.positiveInt(spec, STEP_SECONDS),
                Preprocessing.positiveInt(spec, INPUT_STEPS),
                Preprocessing.positiveInt(spec, HORIZON),
                Preprocessing.bool(spec, ZERO_IS_MISSING),
                Preprocessing.number(spec, MAX_SPEED_MPH).doubleValue());
    }

    /** N. */
    public int sensors() {
        return sensorIds.size();
    }

    /** The window encoder that feeds this model, with its normalisation and missing-value rule. */
    public WindowEncoder encoder() {
        return new WindowEncoder(normalisation, inputSteps, sensors(), stepSeconds, zeroIsMissing);
    }

    /** As model.json writes it; {@link #of} reads it back. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SENSOR_IDS, new ArrayList<>(sensorIds));
        m.put(MEAN, normalisation.mean());
        m.put(STD, normalisation.std());
        m.put(STEP_SECONDS, stepSeconds);
        m.put(INPUT_STEPS, inputSteps);
        m.put(HORIZON, horizon);
        m.put(ZERO_IS_MISSING, zeroIsMissing);
        m.put(MAX_SPEED_MPH, maxSpeedMph);
        return m;
    }
}
