package io.attnstream.traffic.job;

import io.attnstream.schema.Lineage;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One publishing subtask's share of a scored window: what {@link ForecastAssembler} needs to build
 * the forecast and attention records of the sensors n with n mod S = {@link #shard} (S shards per
 * window), and nothing else: the window's input speeds stay behind. Arrays are per sensor of the
 * shard, in {@link #sensors} order. A Flink POJO (see {@link #typeInfo}).
 */
public class ForecastShard {
    /** Which of the window's shards this is: sensors n with n mod S = shard. */
    public int shard;

    /**
     * The job's {@code keyBy} key: one that Flink's key groups map to subtask {@link #shard}
     * ({@link ShardKeys}).
     */
    public int key;

    /** The window's prediction-id prefix; a sensor's id is this, "/" and the sensor id. */
    public String windowId;

    public String modelName;
    public String modelVersion;
    public String networkId;

    /** Start of the window's last input interval (epoch ms). */
    public long eventTime;

    /** Wall-clock time (epoch ms) the watermark closed the window's last interval. */
    public long closedAt;

    public int stepSeconds;

    /** Kafka coordinates of the last reading that went into the window (its lineage). */
    public String topic;

    public int partition;
    public long offset;

    /** H, T and k of the arrays below. */
    public int horizon;

    public int steps;
    public int topK;

    /**
     * (N) the scoring version's sensors: {@link #sensors} and {@link #topSensors} index into it.
     */
    public String[] sensorIds;

    /** (m) the version's column index of each sensor in this shard. */
    public int[] sensors;

    /** (m, H) forecast speeds in mph. */
    public float[] speeds;

    /** (m, T) temporal attention over the input steps. */
    public float[] temporal;

    /** (m, k) column indexes of the sensors each attended to most, strongest first. */
    public int[] topSensors;

    /** (m, k) their spatial attention weights. */
    public float[] topWeights;

    /** (m) imputed inputs per sensor. */
    public int[] imputed;

    public ForecastShard() {}

    public Lineage lineage() {
        return new Lineage(topic, partition, offset);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<ForecastShard> typeInfo() {
        Map<String, TypeInformation<?>> f = new HashMap<>();
        f.put("shard", Types.INT);
        f.put("key", Types.INT);
        f.put("windowId", Types.STRING);
        f.put("modelName", Types.STRING);
        f.put("modelVersion", Types.STRING);
        f.put("networkId", Types.STRING);
        f.put("eventTime", Types.LONG);
        f.put("closedAt", Types.LONG);
        f.put("stepSeconds", Types.INT);
        f.put("topic", Types.STRING);
        f.put("partition", Types.INT);
        f.put("offset", Types.LONG);
        f.put("horizon", Types.INT);
        f.put("steps", Types.INT);
        f.put("topK", Types.INT);
        f.put("sensorIds", Types.OBJECT_ARRAY(Types.STRING));
        f.put("sensors", Types.PRIMITIVE_ARRAY(Types.INT));
        f.put("speeds", Types.PRIMITIVE_ARRAY(Types.FLOAT));
        f.put("temporal", Types.PRIMITIVE_ARRAY(Types.FLOAT));
        f.put("topSensors", Types.PRIMITIVE_ARRAY(Types.INT));
        f.put("topWeights", Types.PRIMITIVE_ARRAY(Types.FLOAT));
        f.put("imputed", Types.PRIMITIVE_ARRAY(Types.INT));
        return (TypeInformation) Types.POJO(ForecastShard.class, f);
    }
}
