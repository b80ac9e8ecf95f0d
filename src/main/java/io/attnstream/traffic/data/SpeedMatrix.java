package io.attnstream.traffic.data;

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
 * A speed matrix in memory: rows are time steps (oldest first), columns sensors, values in mph and
 * {@link Float#NaN} where a reading is missing. This is Los-loop's CSV layout: a header of sensor
 * ids, then one row of speeds per step.
 */
public record SpeedMatrix(List<String> sensorIds, float[][] speeds) {

    public int steps() {
        return speeds.length;
    }

    public int sensors() {
        return sensorIds.size();
    }

    /**
     * Reads the file with 0 meaning "no reading" (a freeway loop detector never reports a true 0
     * mph average).
     */
    public static SpeedMatrix readCsv(Path csv) {
        return readCsv(csv, true);
    }

    /**
     * Empty cells, NaN/nan/NA and, when {@code zeroIsMissing}, 0 become {@link Float#NaN}. Negative
     * or non-numeric values, rows of the wrong width and duplicate sensor ids are errors naming the
     * file (and line and column).
     */
    public static SpeedMatrix readCsv(Path csv, boolean zeroIsMissing) {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            List<String> ids = SpeedCsvFormat.header(csv, r.readLine());
            List<float[]> rows = new ArrayList<>();
            String line;
            long lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (!line.isBlank()) {
                    rows.add(SpeedCsvFormat.row(csv, lineNo, line, ids.size(), zeroIsMissing));
                }
            }
            return new SpeedMatrix(ids, rows.toArray(new float[0][]));
        } catch (NoSuchFileException e) {
            throw new AttnstreamException("data file not found: " + csv);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    /** Number of missing (NaN) cells. */
    public int missingCount() {
        int missing = 0;
        for (float[] row : speeds) {
            for (float v : row) {
                if (Float.isNaN(v)) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /** Rows [from, to) as a new matrix sharing the row arrays. */
    public SpeedMatrix rows(int from, int to) {
        if (from < 0 || to > speeds.length || from > to) {
            throw new IndexOutOfBoundsException(
                    "rows [" + from + ", " + to + ") of " + speeds.length);
        }
        float[][] part = new float[to - from][];
        System.arraycopy(speeds, from, part, 0, to - from);
        return new SpeedMatrix(sensorIds, part);
    }
}
