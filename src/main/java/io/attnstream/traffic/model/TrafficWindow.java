package io.attnstream.traffic.model;

import io.attnstream.schema.Lineage;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The last T closed intervals of one road network, ready to forecast from: what {@link
 * IntervalAligner} emits when the watermark closes an interval. A Flink POJO.
 */
public class TrafficWindow {
    public String networkId;

    /**
     * Start of the last input interval (epoch ms); the forecast's first step starts one step later.
     */
    public long eventTime;

    public int stepSeconds;

    /** N, the sensors the network reported from within the window. */
    public int sensors;

    /**
     * The N sensors' ids, in column order: the aligner's, not a model's. Each version's translator
     * picks its own sensors out by id.
     */
    public String[] sensorIds;

    /**
     * (T, N) mean speed per interval and sensor in mph, oldest interval first, row-major; NaN = no
     * reading.
     */
    public float[] speeds;

    /**
     * Wall-clock time (epoch ms) the watermark closed the last interval: the start of this window's
     * latency.
     */
    public long closedAt;

    /** Kafka coordinates of the last reading that went into the last interval. */
    public String topic;

    public int partition;
    public long offset;

    public TrafficWindow() {}

    public int steps() {
        return sensors == 0 ? 0 : speeds.length / sensors;
    }

    /** Epoch ms of the first input interval's start. */
    public long firstStepMillis() {
        return eventTime - (long) (steps() - 1) * stepSeconds * 1000L;
    }

    /** The window as (T, N) rows, oldest first. */
    public float[][] rows() {
        int t = steps();
        float[][] rows = new float[t][sensors];
        for (int i = 0; i < t; i++) {
            System.arraycopy(speeds, i * sensors, rows[i], 0, sensors);
        }
        return rows;
    }

    public Lineage lineage() {
        return new Lineage(topic, partition, offset);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<TrafficWindow> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        TrafficWindow.class,
                        Map.of(
                                "networkId", Types.STRING,
                                "eventTime", Types.LONG,
                                "stepSeconds", Types.INT,
                                "sensors", Types.INT,
                                "sensorIds", Types.OBJECT_ARRAY(Types.STRING),
                                "speeds", Types.PRIMITIVE_ARRAY(Types.FLOAT),
                                "closedAt", Types.LONG,
                                "topic", Types.STRING,
                                "partition", Types.INT,
                                "offset", Types.LONG));
    }
}
