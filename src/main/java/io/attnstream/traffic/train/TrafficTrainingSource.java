package io.attnstream.traffic.train;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.training.DataFingerprint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The speed data a forecaster is trained on and where it came from: the matrix, its clock, the
 * optional adjacency, and the files they were read from (null for data built in memory). It checks
 * that the adjacency fits the sensors and writes model.json's {@code training_data}: a fingerprint
 * of the files' bytes, or of the values when there are no files, and a description.
 *
 * @param data speeds (rows = steps, oldest first; NaN = missing)
 * @param startEpochMillis the time of the first row
 * @param adjacency N x N non-negative weights in the matrix's column order, or null for none
 */
record TrafficTrainingSource(
        SpeedMatrix data,
        long startEpochMillis,
        long stepSeconds,
        float[][] adjacency,
        Path dataFile,
        Path adjacencyFile) {

    /** What error messages call the data: its file, or "the speed data". */
    String name() {
        return dataFile != null ? dataFile.toString() : "the speed data";
    }

    /**
     * @throws AttnstreamException naming the adjacency's file when it is not N x N of finite,
     *     non-negative weights
     */
    void checkAdjacency() {
        if (adjacency == null) {
            return;
        }
        int sensors = data.sensors();
        String where = adjacencyFile != null ? adjacencyFile.toString() : "the adjacency";
        if (adjacency.length != sensors) {
            throw new AttnstreamException(
                    String.format(
                            Locale.ROOT,
                            "%s has %d rows, but %s has %d sensors: it must be %d x %d in the"
                                    + " speed data's column order",
                            where,
                            adjacency.length,
                            name(),
                            sensors,
                            sensors,
                            sensors));
        }
        for (int i = 0; i < sensors; i++) {
            if (adjacency[i].length != sensors) {
                throw new AttnstreamException(
                        where
                                + " row "
                                + (i + 1)
                                + " has "
                                + adjacency[i].length
                                + " values, expected "
                                + sensors);
            }
            for (float w : adjacency[i]) {
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new AttnstreamException(
                            where
                                    + " row "
                                    + (i + 1)
                                    + " has the weight "
                                    + w
                                    + ": weights must be finite and non-negative");
                }
            }
        }
    }

    /** The highest observed speed (0 if none), which bounds the job's plausible readings. */
    double maxSpeed() {
        float max = 0;
        for (float[] row : data.speeds()) {
            for (float v : row) {
                if (!Float.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    /** model.json's {@code training_data}: fingerprints and a description of the split. */
    Map<String, Object> trainingData(int fitRows) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fingerprint", dataFile != null ? DataFingerprint.ofFile(dataFile) : valuesHash());
        if (adjacencyFile != null) {
            map.put("adjacency_fingerprint", DataFingerprint.ofFile(adjacencyFile));
        }
        map.put(
                "description",
                String.format(
                        Locale.ROOT,
                        "%s: %d sensors x %d rows of %d s from %s (UTC labels);"
                                + " fit rows [0, %d), validation rows [%d, %d); adjacency %s",
                        name(),
                        data.sensors(),
                        data.steps(),
                        stepSeconds,
                        Instant.ofEpochMilli(startEpochMillis),
                        fitRows,
                        fitRows,
                        data.steps(),
                        adjacencyName()));
        return map;
    }

    private String adjacencyName() {
        if (adjacency == null) {
            return "none";
        }
        return adjacencyFile != null ? adjacencyFile.getFileName().toString() : "given";
    }

    /** The sensor ids, the speeds row by row, then the adjacency: data that came from no file. */
    private String valuesHash() {
        DataFingerprint fingerprint =
                DataFingerprint.ofValues().add(String.join(",", data.sensorIds()));
        for (float[] row : data.speeds()) {
            fingerprint.add(row);
        }
        if (adjacency != null) {
            for (float[] row : adjacency) {
                fingerprint.add(row);
            }
        }
        return fingerprint.value();
    }
}
