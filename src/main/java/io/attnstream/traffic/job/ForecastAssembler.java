package io.attnstream.traffic.job;

import io.attnstream.schema.Lineage;
import io.attnstream.schema.SensorWeight;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Builds the published records of one shard of a network's forecast: a {@link TrafficForecast} per
 * sensor (main output) and its {@link TrafficAttention} (side output), sharing one prediction id.
 *
 * <p>A network is one key, so everything up to the forecast runs in one subtask; the 2 N records
 * per interval would then be built and written by one thread. {@link ForecastSharder} therefore
 * splits each scored window by sensor (sensor n to shard n mod P) and each subtask of this operator
 * publishes its shard: the work spreads over P threads, and a sensor's forecasts still leave in
 * interval order (one subtask, one ordered channel). Keyed by {@link ForecastShard#key} only for
 * the routing: it keeps no state and registers no timers.
 */
public class ForecastAssembler
        extends KeyedProcessFunction<Integer, ForecastShard, TrafficForecast> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<TrafficAttention> ATTENTION =
            new OutputTag<>("traffic-attention", new AvroTypeInfo<>(TrafficAttention.class));

    @Override
    public void processElement(ForecastShard in, Context ctx, Collector<TrafficForecast> out) {
        Lineage lineage = in.lineage();
        Instant eventTime = Instant.ofEpochMilli(in.eventTime);
        Instant closed = Instant.ofEpochMilli(in.closedAt);
        Instant now = Instant.now();
        for (int i = 0; i < in.sensors.length; i++) {
            String sensor = in.sensorIds[in.sensors[i]];
            String id = in.windowId + "/" + sensor;
            List<Float> speeds = new ArrayList<>(in.horizon);
            for (int h = 0; h < in.horizon; h++) {
                speeds.add(in.speeds[i * in.horizon + h]);
            }
            // All-arguments constructors: the builders' per-field validation and default handling
            // cost more than the encoding here, with 2 N records per interval.
            out.collect(
                    new TrafficForecast(
                            id,
                            in.modelName,
                            in.modelVersion,
                            in.networkId,
                            sensor,
                            eventTime,
                            now,
                            lineage,
                            in.stepSeconds,
                            speeds,
                            in.imputed[i],
                            closed));

            List<Float> temporal = new ArrayList<>(in.steps);
            for (int t = 0; t < in.steps; t++) {
                temporal.add(in.temporal[i * in.steps + t]);
            }
            List<SensorWeight> top = new ArrayList<>(in.topK);
            for (int j = 0; j < in.topK; j++) {
                top.add(
                        new SensorWeight(
                                in.sensorIds[in.topSensors[i * in.topK + j]],
                                in.topWeights[i * in.topK + j]));
            }
            ctx.output(
                    ATTENTION,
                    new TrafficAttention(
                            id,
                            in.modelName,
                            in.modelVersion,
                            in.networkId,
                            sensor,
                            eventTime,
                            now,
                            lineage,
                            temporal,
                            top));
        }
    }
}
