package io.attnstream.traffic.model;

import io.attnstream.platform.AttnstreamException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A road network's N x N sensor adjacency: non-negative weights, row/column i = column i of the
 * speed CSV. The file layout is los_adj.csv's: N lines of N comma-separated numbers, no header.
 */
public final class Adjacency {
    private final float[][] weights;

    private Adjacency(float[][] weights) {
        this.weights = weights;
    }

    /** Validates and copies the weights: square, finite, non-negative. */
    public static Adjacency of(float[][] weights) {
        int n = weights.length;
        float[][] copy = new float[n][];
        for (int i = 0; i < n; i++) {
            if (weights[i].length != n) {
                throw new IllegalArgumentException(
                        "adjacency row "
                                + i
                                + " has "
                                + weights[i].length
                                + " weights, expected "
                                + n);
            }
            for (int j = 0; j < n; j++) {
                float w = weights[i][j];
                if (!Float.isFinite(w) || w < 0) {
                    throw new IllegalArgumentException(
                            "adjacency weight ["
                                    + i
                                    + "]["
                                    + j
                                    + "] = "
                                    + w
                                    + " must be finite and >= 0");
                }
            }
            copy[i] = weights[i].clone();
        }
        return new Adjacency(copy);
    }

    /**
     * Reads an N x N weight matrix without header.
     *
     * @param expectedSensors N, the number of sensors (columns) of the speed data it goes with
     */
    public static Adjacency readCsv(Path csv, int expectedSensors) {
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(",", -1);
                if (parts.length != expectedSensors) {
                    throw new AttnstreamException(
                            csv
                                    + " line "
                                    + lineNo
                                    + ": "
                                    + parts.length
                                    + " weights, expected "
                                    + expectedSensors
                                    + " (one per sensor of the speed data)");
                }
                float[] row = new float[parts.length];
                for (int j = 0; j < parts.length; j++) {
                    row[j] = weight(csv, lineNo, j, parts[j].trim());
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw new AttnstreamException("adjacency file not found: " + csv);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (rows.size() != expectedSensors) {
            throw new AttnstreamException(
                    csv
                            + " has "
                            + rows.size()
                            + " rows of weights, expected a square "
                            + expectedSensors
                            + " x "
                            + expectedSensors
                            + " matrix (one row per sensor)");
        }
        return new Adjacency(rows.toArray(new float[0][]));
    }

    private static float weight(Path csv, long lineNo, int column, String s) {
        float w;
        try {
            w = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new AttnstreamException(
                    csv
                            + " line "
                            + lineNo
                            + " column "
                            + (column + 1)
                            + ": '"
                            + s
                            + "' is not a number");
        }
        if (!Float.isFinite(w) || w < 0) {
            throw new AttnstreamException(
                    csv
                            + " line "
                            + lineNo
                            + " column "
                            + (column + 1)
                            + ": weight "
                            + s
                            + " must be finite and >= 0");
        }
        return w;
    }

    /** Writes the weights in the same layout {@link #readCsv} reads. */
    public void writeCsv(Path csv) {
        StringBuilder sb = new StringBuilder();
        for (float[] row : weights) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", row[j]));
            }
            sb.append('\n');
        }
        try {
            Files.writeString(csv, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AttnstreamException("cannot write " + csv + ": " + e.getMessage(), e);
        }
    }

    public int size() {
        return weights.length;
    }

    /** A copy of the (N, N) weights. */
    public float[][] weights() {
        float[][] copy = new float[weights.length][];
        for (int i = 0; i < weights.length; i++) {
            copy[i] = weights[i].clone();
        }
        return copy;
    }

    public float weight(int i, int j) {
        return weights[i][j];
    }

    /** Sensors j != i with a positive weight from i, in index order. */
    public int[] neighbours(int i) {
        float[] row = weights[i];
        int count = 0;
        for (int j = 0; j < row.length; j++) {
            if (j != i && row[j] > 0) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int j = 0; j < row.length; j++) {
            if (j != i && row[j] > 0) {
                out[k++] = j;
            }
        }
        return out;
    }

    /** True when w[i][j] == w[j][i] for all pairs. */
    public boolean isSymmetric() {
        for (int i = 0; i < weights.length; i++) {
            for (int j = i + 1; j < weights.length; j++) {
                if (weights[i][j] != weights[j][i]) {
                    return false;
                }
            }
        }
        return true;
    }
}
