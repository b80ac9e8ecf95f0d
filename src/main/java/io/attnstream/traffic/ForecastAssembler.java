package io.attnstream.traffic;

import io.attnstream.inference.Inference;
import org.apache.flink.api.common.functions.OpenContext;
import io.attnstream.platform.PredictionIds;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.SensorWeight;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one network's forecast into the published records: a {@link TrafficForecast} per sensor (main output)
 * and its {@link TrafficAttention} (side output), sharing one prediction id.
 *
 * <p>A network is one key, so everything up to the forecast runs in one subtask; the 2 N records per interval
 * would then be built and written by one thread. The job therefore broadcasts each scored window to every
 * subtask of this operator and each subtask publishes a fixed share of the sensors (sensor n goes to subtask
 * n mod P): the work spreads over P threads, and a sensor's forecasts still leave in interval order (one
 * subtask, one ordered channel).
 */
public class ForecastAssembler extends ProcessFunction<Inference<TrafficWindow, TrafficPrediction>, TrafficForecast> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<TrafficAttention> ATTENTION =
            new OutputTag<>("traffic-attention", new AvroTypeInfo<>(TrafficAttention.class));

    private final List<String> sensorIds;

    public ForecastAssembler(List<String> sensorIds) {
        this.sensorIds = List.copyOf(sensorIds);
    }

    private transient int shard;
    private transient int shards;

    @Override
    public void open(OpenContext openContext) {
        shard = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        shards = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    }

    @Override
    public void processElement(Inference<TrafficWindow, TrafficPrediction> in, Context ctx, Collector<TrafficForecast> out) {
        TrafficWindow w = in.input;
        TrafficPrediction p = in.output;
        Lineage lineage = w.lineage();
        Instant eventTime = Instant.ofEpochMilli(w.eventTime);
        Instant closed = Instant.ofEpochMilli(w.closedAt);
        Instant now = Instant.now();
        // One name-based UUID per window, the sensor appended: an MD5 per sensor was a fifth of this operator's time.
        String windowId = PredictionIds.of(in.modelName, in.modelVersion, lineage, w.networkId + "@" + w.eventTime);
        for (int n = shard; n < p.sensors; n += shards) {
            String sensor = sensorIds.get(n);
            String id = windowId + "/" + sensor;
            List<Float> speeds = new ArrayList<>(p.horizon);
            for (int h = 0; h < p.horizon; h++) {
                speeds.add(p.speed(h, n));
            }
            // All-arguments constructors: the builders' per-field validation and default handling cost more than
            // the encoding here, with 2 N records per interval.
            out.collect(new TrafficForecast(id, in.modelName, in.modelVersion, w.networkId, sensor, eventTime, now,
                    lineage, w.stepSeconds, speeds, p.imputed[n], closed));

            List<Float> temporal = new ArrayList<>(p.steps);
            for (int t = 0; t < p.steps; t++) {
                temporal.add(p.temporal[n * p.steps + t]);
            }
            List<SensorWeight> top = new ArrayList<>(p.topK);
            for (int j = 0; j < p.topK; j++) {
                top.add(new SensorWeight(sensorIds.get(p.topSensors[n * p.topK + j]), p.topWeights[n * p.topK + j]));
            }
            ctx.output(ATTENTION, new TrafficAttention(id, in.modelName, in.modelVersion, w.networkId, sensor,
                    eventTime, now, lineage, temporal, top));
        }
    }
}
