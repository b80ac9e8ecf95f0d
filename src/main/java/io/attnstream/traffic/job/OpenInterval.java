package io.attnstream.traffic.job;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The readings of one network interval that is still open (its watermark has not passed): per
 * sensor the sum and count of speeds, so several readings of a sensor in one interval average out.
 * A Flink POJO for keyed state.
 */
public class OpenInterval {
    public float[] sum;
    public int[] count;

    /** Lineage of the last reading added. */
    public String topic;

    public int partition;
    public long offset;

    public OpenInterval() {}

    public static OpenInterval empty(int sensors) {
        OpenInterval i = new OpenInterval();
        i.sum = new float[sensors];
        i.count = new int[sensors];
        return i;
    }

    public void add(int sensor, float speed, String topic, int partition, long offset) {
        sum[sensor] += speed;
        count[sensor]++;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    /** Mean speed per sensor; NaN where no reading arrived. */
    public float[] means() {
        float[] m = new float[sum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = count[i] == 0 ? Float.NaN : sum[i] / count[i];
        }
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<OpenInterval> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        OpenInterval.class,
                        Map.of(
                                "sum", Types.PRIMITIVE_ARRAY(Types.FLOAT),
                                "count", Types.PRIMITIVE_ARRAY(Types.INT),
                                "topic", Types.STRING,
                                "partition", Types.INT,
                                "offset", Types.LONG));
    }
}
