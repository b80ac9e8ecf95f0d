package io.attnstream.traffic;

import io.attnstream.platform.SchemaFixtures;
import io.attnstream.schema.TrafficReading;
import io.attnstream.traffic.data.SpeedMatrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Synthetic speed matrices and readings for the traffic tests. */
public final class SpeedMatrixFixtures {
    private SpeedMatrixFixtures() {}

    /**
     * Speeds that rise by exactly 1 mph per step: sensor n at step t reads {@code base + 10 n + t}.
     * The last-value forecast for step k after a window is then off by exactly k mph, for every
     * sensor and window.
     */
    public static SpeedMatrix linearRise(int steps, int sensors, float base) {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < sensors; n++) {
            ids.add("s" + n);
        }
        float[][] speeds = new float[steps][sensors];
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < sensors; n++) {
                speeds[t][n] = base + 10 * n + t;
            }
        }
        return new SpeedMatrix(ids, speeds);
    }

    /**
     * Writes the matrix in Los-loop's CSV layout (header of sensor ids, one row of speeds per
     * step).
     */
    public static Path writeCsv(SpeedMatrix m, Path file) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", m.sensorIds())).append('\n');
        for (float[] row : m.speeds()) {
            for (int n = 0; n < row.length; n++) {
                sb.append(n == 0 ? "" : ",").append(row[n]);
            }
            sb.append('\n');
        }
        return Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** A reading that passes validation (the shared Avro sample). */
    public static TrafficReading.Builder validReading() {
        return TrafficReading.newBuilder(SchemaFixtures.trafficReading());
    }
}
