package io.attnstream.traffic;

import io.attnstream.platform.AttnstreamException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A speed matrix in memory: rows are five-minute steps, columns sensors (Los-loop's CSV layout: a header of
 * sensor ids, then one row of speeds per step).
 */
public record SpeedMatrix(List<String> sensorIds, float[][] speeds) {

    public int steps() {
        return speeds.length;
    }

    public int sensors() {
        return sensorIds.size();
    }

    public static SpeedMatrix readCsv(Path csv) {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || header.isBlank()) {
                throw new AttnstreamException(csv + " is empty: expected a header row of sensor ids");
            }
            List<String> ids = List.of(header.trim().split("\\s*,\\s*"));
            List<float[]> rows = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split("\\s*,\\s*");
                if (parts.length != ids.size()) {
                    throw new AttnstreamException(csv + " line " + lineNo + ": " + parts.length + " values for "
                            + ids.size() + " sensors");
                }
                float[] row = new float[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    try {
                        row[i] = Float.parseFloat(parts[i]);
                    } catch (NumberFormatException e) {
                        throw new AttnstreamException(csv + " line " + lineNo + " column " + (i + 1) + ": '"
                                + parts[i] + "' is not a number");
                    }
                }
                rows.add(row);
            }
            return new SpeedMatrix(ids, rows.toArray(new float[0][]));
        } catch (NoSuchFileException e) {
            throw new AttnstreamException("data file not found: " + csv);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    /** Rows [from, to) as a new matrix sharing the row arrays. */
    public SpeedMatrix rows(int from, int to) {
        float[][] part = new float[to - from][];
        System.arraycopy(speeds, from, part, 0, to - from);
        return new SpeedMatrix(sensorIds, part);
    }
}
