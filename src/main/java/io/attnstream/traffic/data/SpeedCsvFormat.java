package io.attnstream.traffic.data;

import io.attnstream.platform.AttnstreamException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The speed-matrix CSV layout (Los-loop's): a header of sensor ids, then one row of speeds in mph
 * per step. Shared by {@link SpeedMatrix#readCsv} (whole file in memory) and {@link LosLoopReplay}
 * (streamed), so both read a file the same way and report the same errors.
 */
final class SpeedCsvFormat {
    private SpeedCsvFormat() {}

    /** Sensor ids of the header line; blank or duplicate ids are an error naming the file. */
    static List<String> header(Path file, String line) {
        if (line == null || line.isBlank()) {
            throw new AttnstreamException(file + " is empty: expected a header row of sensor ids");
        }
        List<String> ids = List.of(split(line));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id.isEmpty()) {
                throw new AttnstreamException(
                        file + " line 1 column " + (i + 1) + ": empty sensor id in the header");
            }
            if (!seen.add(id)) {
                throw new AttnstreamException(
                        file
                                + " line 1: duplicate sensor id '"
                                + id
                                + "' (column "
                                + (i + 1)
                                + ")");
            }
        }
        return ids;
    }

    /**
     * One data line as speeds, NaN for missing; a wrong number of values is an error naming file
     * and line.
     */
    static float[] row(Path file, long lineNo, String line, int sensors, boolean zeroIsMissing) {
        String[] parts = split(line);
        if (parts.length != sensors) {
            throw new AttnstreamException(
                    file
                            + " line "
                            + lineNo
                            + ": "
                            + parts.length
                            + " values for "
                            + sensors
                            + " sensors");
        }
        float[] row = new float[sensors];
        for (int i = 0; i < sensors; i++) {
            row[i] = cell(file, lineNo, i, parts[i], zeroIsMissing);
        }
        return row;
    }

    /**
     * A cell as mph: empty, NaN/nan/NA and (if {@code zeroIsMissing}) 0 are missing, i.e. {@link
     * Float#NaN}. Loop detectors report 0 when they saw no vehicle or failed, never as a real speed
     * on a freeway.
     */
    static float cell(Path file, long lineNo, int column, String text, boolean zeroIsMissing) {
        String s = text.trim();
        if (s.isEmpty() || isMissingToken(s)) {
            return Float.NaN;
        }
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new AttnstreamException(
                    file
                            + " line "
                            + lineNo
                            + " column "
                            + (column + 1)
                            + ": '"
                            + s
                            + "' is not a number");
        }
        if (Float.isNaN(v)) {
            return Float.NaN;
        }
        if (Float.isInfinite(v) || v < 0) {
            throw new AttnstreamException(
                    file
                            + " line "
                            + lineNo
                            + " column "
                            + (column + 1)
                            + ": '"
                            + s
                            + "' is not a speed (must be finite and >= 0)");
        }
        return zeroIsMissing && v == 0f ? Float.NaN : v;
    }

    private static boolean isMissingToken(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.equals("nan") || lower.equals("na");
    }

    private static String[] split(String line) {
        // -1 keeps trailing empty cells: "1,2," is three values, the last one missing.
        String[] parts = line.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }
}
