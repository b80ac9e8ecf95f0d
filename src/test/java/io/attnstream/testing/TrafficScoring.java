package io.attnstream.testing;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.model.WindowEncoder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A traffic forecaster called directly (no runtime, no Flink): what a job's forecasts are compared
 * with.
 */
public final class TrafficScoring {
    private TrafficScoring() {}

    /**
     * The forecast (H speeds in mph) of every sensor of the model in {@code dir} for each window,
     * keyed {@code keys[i] + "/" + sensor id}.
     *
     * @param windows (T, N) in the model's sensor order
     */
    public static Map<String, float[]> forecasts(
            Path dir, List<String> keys, List<WindowEncoder.TimedWindow> windows) {
        Map<String, float[]> out = new HashMap<>();
        try (LoadedModel m = ModelStore.load(dir, Device.cpu())) {
            TrafficPreprocessing p = TrafficPreprocessing.of(m.spec());
            List<WindowEncoder.Forecast> f = p.encoder().forecast(m.model(), windows);
            for (int k = 0; k < keys.size(); k++) {
                float[][] speeds = f.get(k).speeds(); // (H, N)
                for (int n = 0; n < p.sensors(); n++) {
                    float[] s = new float[speeds.length];
                    for (int h = 0; h < s.length; h++) {
                        s[h] = speeds[h][n];
                    }
                    out.put(keys.get(k) + "/" + p.sensorIds().get(n), s);
                }
            }
        }
        return out;
    }
}
