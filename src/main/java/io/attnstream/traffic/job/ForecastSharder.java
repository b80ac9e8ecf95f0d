package io.attnstream.traffic.job;

import io.attnstream.inference.Inference;
import io.attnstream.platform.PredictionIds;
import io.attnstream.traffic.model.TrafficPrediction;
import io.attnstream.traffic.model.TrafficWindow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits a scored window into one {@link ForecastShard} per publishing subtask, where it was scored
 * (chained after inference). Sensor n goes to shard n mod S, S being this operator's parallelism,
 * which the job gives the assembler too, and shard s carries {@link ShardKeys#key}(s), which the
 * job's {@code keyBy} sends to subtask s: each sensor's data crosses the network once, to one
 * subtask over one ordered channel, so its forecasts stay in interval order. All shards of a window
 * leave in one call, so a checkpoint barrier never splits a window.
 *
 * <p>The keys are computed for this operator's own parallelism and max parallelism, which are the
 * assembler's: both take the job's. Were they to differ, each sensor would still go to exactly one
 * subtask (a key always lands on the same one), only two shards could share a subtask.
 *
 * <p>Why shards and not the window to every subtask ({@code broadcast()}, which this replaces): the
 * broadcast serialised the whole window and prediction P times, input speeds included, which the
 * assembler never reads.
 */
public class ForecastSharder
        extends ProcessFunction<Inference<TrafficWindow, TrafficPrediction>, ForecastShard> {
    private static final long serialVersionUID = 1L;

    private transient int shards;
    private transient ShardKeys keys;
    private transient Counter unknownSensors;
    private transient Counter missingValues;

    @Override
    public void open(OpenContext openContext) {
        var task = getRuntimeContext().getTaskInfo();
        shards = task.getNumberOfParallelSubtasks();
        keys = ShardKeys.of(shards, task.getMaxNumberOfParallelSubtasks());
        var group = getRuntimeContext().getMetricGroup();
        // Sensors of the network that the serving version does not know (kept in the state for a
        // version that will), and the version's inputs that had no reading and were imputed.
        unknownSensors = group.counter("sensorsUnknownToModel");
        missingValues = group.counter("missingValues");
    }

    @Override
    public void processElement(
            Inference<TrafficWindow, TrafficPrediction> in,
            Context ctx,
            Collector<ForecastShard> out) {
        TrafficWindow w = in.input;
        TrafficPrediction p = in.output;
        unknownSensors.inc(p.unknownSensors);
        for (int imputed : p.imputed) {
            missingValues.inc(imputed);
        }
        // One name-based UUID per window, the sensor appended per record: an MD5 per sensor was a
        // fifth of the assembler's time.
        String windowId =
                PredictionIds.of(
                        in.modelName,
                        in.modelVersion,
                        w.lineage(),
                        w.networkId + "@" + w.eventTime);
        for (int s = 0; s < Math.min(shards, p.sensors); s++) {
            out.collect(shard(s, windowId, in, w, p));
        }
    }

    /** Shard {@code s}: sensors s, s + S, s + 2 S, ... */
    private ForecastShard shard(
            int s,
            String windowId,
            Inference<TrafficWindow, TrafficPrediction> in,
            TrafficWindow w,
            TrafficPrediction p) {
        int m = (p.sensors - s + shards - 1) / shards; // sensors in this shard
        ForecastShard f = new ForecastShard();
        f.shard = s;
        f.key = keys.key(s);
        f.windowId = windowId;
        f.modelName = in.modelName;
        f.modelVersion = in.modelVersion;
        f.networkId = w.networkId;
        f.eventTime = w.eventTime;
        f.closedAt = w.closedAt;
        f.stepSeconds = w.stepSeconds;
        f.topic = w.topic;
        f.partition = w.partition;
        f.offset = w.offset;
        f.horizon = p.horizon;
        f.steps = p.steps;
        f.topK = p.topK;
        f.sensorIds = p.sensorIds;
        f.sensors = new int[m];
        f.speeds = new float[m * p.horizon];
        f.temporal = new float[m * p.steps];
        f.topSensors = new int[m * p.topK];
        f.topWeights = new float[m * p.topK];
        f.imputed = new int[m];
        for (int i = 0, n = s; i < m; i++, n += shards) {
            f.sensors[i] = n;
            for (int h = 0; h < p.horizon; h++) {
                f.speeds[i * p.horizon + h] = p.speed(h, n); // (H, N) -> (m, H)
            }
            System.arraycopy(
                    p.temporal, n * p.steps, f.temporal, i * p.steps, p.steps); // (N, T) -> (m, T)
            System.arraycopy(
                    p.topSensors, n * p.topK, f.topSensors, i * p.topK, p.topK); // (N, k) -> (m, k)
            System.arraycopy(p.topWeights, n * p.topK, f.topWeights, i * p.topK, p.topK);
            f.imputed[i] = p.imputed[n];
        }
        return f;
    }
}
