package io.attnstream.testing;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.RawRecord;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.model.WindowEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Readings and raw records for traffic tests. */
public final class TrafficFixtures {
    public static final AvroCodec<TrafficReading> CODEC = AvroCodec.of(TrafficReading.class);
    public static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    private TrafficFixtures() {}

    public static TrafficReading reading(String sensor, int step, float speed) {
        return TrafficReading.newBuilder()
                .setNetworkId("net-1")
                .setSensorId(sensor)
                .setEventTime(T0.plusSeconds(300L * step))
                .setSpeedMph(speed)
                .build();
    }

    public static byte[] bytes(TrafficReading r) {
        return CODEC.encode(r);
    }

    /** A valid record cut in half: it cannot decode. */
    public static byte[] truncated(TrafficReading r) {
        byte[] b = bytes(r);
        return Arrays.copyOf(b, b.length / 2);
    }

    public static RawRecord raw(String topic, int partition, long offset, byte[] value) {
        return new RawRecord(topic, partition, offset, T0.toEpochMilli(), "k".getBytes(), value);
    }

    /**
     * A reading of {@code sensor} in {@code network} at epoch ms {@code time}, keyed by network.
     */
    public static ProducerRecord<byte[], byte[]> record(
            String topic, String network, String sensor, long time, float speed) {
        TrafficReading r =
                TrafficReading.newBuilder()
                        .setNetworkId(network)
                        .setSensorId(sensor)
                        .setEventTime(Instant.ofEpochMilli(time))
                        .setSpeedMph(speed)
                        .build();
        return new ProducerRecord<>(
                topic, network.getBytes(StandardCharsets.UTF_8), CODEC.encode(r));
    }

    /**
     * The model called directly on these windows, as each window's forecast per sensor: key {@code
     * <window key>/<sensor id>}, the H forecast speeds of that sensor.
     *
     * @param windows by key, e.g. {@code <network>@<epoch millis of the last interval>} (see {@link
     *     #key})
     */
    public static Map<String, float[]> forecasts(
            Path model, Map<String, WindowEncoder.TimedWindow> windows) {
        Map<String, float[]> expected = new HashMap<>();
        try (LoadedModel m = ModelStore.load(model, Device.cpu())) {
            TrafficPreprocessing preprocessing = TrafficPreprocessing.of(m.spec());
            List<String> keys = new ArrayList<>(windows.keySet());
            List<WindowEncoder.Forecast> out =
                    preprocessing.encoder().forecast(m.model(), new ArrayList<>(windows.values()));
            for (int k = 0; k < keys.size(); k++) {
                float[][] speeds = out.get(k).speeds(); // (H, N)
                for (int n = 0; n < preprocessing.sensorIds().size(); n++) {
                    float[] sensor = new float[speeds.length];
                    for (int h = 0; h < speeds.length; h++) {
                        sensor[h] = speeds[h][n];
                    }
                    expected.put(keys.get(k) + "/" + preprocessing.sensorIds().get(n), sensor);
                }
            }
        }
        return expected;
    }

    /**
     * A forecast's key in {@link #forecasts}: {@code <network>@<epoch millis of the window's last
     * interval>/<sensor id>}.
     */
    public static String key(TrafficForecast f) {
        return f.getNetworkId() + "@" + f.getEventTime().toEpochMilli() + "/" + f.getSensorId();
    }
}
