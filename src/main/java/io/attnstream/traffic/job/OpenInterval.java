package io.attnstream.traffic.job;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The readings of one network interval that is still open (its watermark has not passed): per
 * sensor the sum and count of speeds, so several readings of a sensor in one interval average out.
 * Sensors are columns named by id, in the order their first reading of the interval came: no
 * model's sensor order is in the state, so it outlives the model (a retrained version with other
 * sensors, a restore with another model). A Flink POJO for keyed state; releases before sensor ids
 * wrote it without {@link #sensors}, in their model's order, which {@link #inOrder} restores.
 */
public class OpenInterval {
    /** Column ids; null only in a value restored from an earlier release. */
    public String[] sensors;

    public float[] sum;
    public int[] count;

    /** Lineage of the last reading added. */
    public String topic;

    public int partition;
    public long offset;

    /** Column of each sensor id; rebuilt from {@link #sensors} after a restore. */
    private transient Map<String, Integer> columns;

    public OpenInterval() {}

    public static OpenInterval empty() {
        OpenInterval i = new OpenInterval();
        i.sensors = new String[0];
        i.sum = new float[0];
        i.count = new int[0];
        return i;
    }

    /** Names an earlier release's columns: they are {@code order}, the model's sensors then. */
    void inOrder(List<String> order) {
        if (order.size() != sum.length) {
            throw new IllegalStateException(
                    "restored interval has "
                            + sum.length
                            + " sensor columns, the sensor order it is read with "
                            + order.size()
                            + ": start the job with the model that wrote the savepoint");
        }
        sensors = order.toArray(new String[0]);
        columns = null;
    }

    /** Distinct sensors with a reading in this interval. */
    public int size() {
        return sensors.length;
    }

    public boolean has(String sensor) {
        return columns().containsKey(sensor);
    }

    public void add(String sensor, float speed, String topic, int partition, long offset) {
        Integer c = columns().get(sensor);
        if (c == null) {
            c = sensors.length;
            sensors = Arrays.copyOf(sensors, c + 1);
            sensors[c] = sensor;
            sum = Arrays.copyOf(sum, c + 1);
            count = Arrays.copyOf(count, c + 1);
            columns.put(sensor, c);
        }
        sum[c] += speed;
        count[c]++;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    /** Mean speed per column ({@link #sensors}); NaN where no reading arrived. */
    public float[] means() {
        float[] m = new float[sum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = count[i] == 0 ? Float.NaN : sum[i] / count[i];
        }
        return m;
    }

    private Map<String, Integer> columns() {
        if (columns == null) {
            columns = new HashMap<>(sensors.length * 2);
            for (int i = 0; i < sensors.length; i++) {
                columns.put(sensors[i], i);
            }
        }
        return columns;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<OpenInterval> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        OpenInterval.class,
                        Map.of(
                                "sensors",
                                Types.OBJECT_ARRAY(Types.STRING),
                                "sum",
                                Types.PRIMITIVE_ARRAY(Types.FLOAT),
                                "count",
                                Types.PRIMITIVE_ARRAY(Types.INT),
                                "topic",
                                Types.STRING,
                                "partition",
                                Types.INT,
                                "offset",
                                Types.LONG));
    }
}
