package io.attnstream.traffic;

import io.attnstream.platform.PredictionIds;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * The persistence ("last value") forecaster: each sensor's next H speeds equal its latest reading. It is the
 * baseline every traffic model is judged against (T-GCN's table reports it), needs no weights, and keeps the
 * Kafka -> Flink -> Kafka path of the traffic topics running before a trained model exists.
 */
public class LastValueForecastFunction extends ProcessFunction<Sourced<TrafficReading>, TrafficForecast> {
    private static final long serialVersionUID = 1L;
    public static final String MODEL_NAME = "last-value";
    public static final String MODEL_VERSION = "1";

    private final int horizon;
    private final int stepSeconds;

    public LastValueForecastFunction(int horizon, int stepSeconds) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        this.horizon = horizon;
        this.stepSeconds = stepSeconds;
    }

    @Override
    public void processElement(Sourced<TrafficReading> in, Context ctx, Collector<TrafficForecast> out) {
        TrafficReading r = in.value;
        Lineage lineage = in.lineage();
        List<Float> speeds = Collections.nCopies(horizon, r.getSpeedMph());
        out.collect(TrafficForecast.newBuilder()
                .setPredictionId(PredictionIds.of(MODEL_NAME, MODEL_VERSION, lineage, r.getSensorId()))
                .setModelName(MODEL_NAME)
                .setModelVersion(MODEL_VERSION)
                .setNetworkId(r.getNetworkId())
                .setSensorId(r.getSensorId())
                .setEventTime(r.getEventTime())
                .setProcessingTime(Instant.now())
                .setLineage(lineage)
                .setStepSeconds(stepSeconds)
                .setSpeedsMph(speeds)
                .setInputsImputed(0)
                .build());
    }
}
