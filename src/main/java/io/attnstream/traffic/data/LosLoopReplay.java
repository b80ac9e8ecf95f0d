package io.attnstream.traffic.data;

import io.attnstream.platform.AttnstreamException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads a Los-loop style speed matrix file (header row of sensor ids, then one row of speeds per
 * step) one row at a time, so a replay never holds the whole file in memory. Cells are parsed as
 * {@link SpeedMatrix#readCsv} does: missing values become NaN. {@code
 * sim.TrafficReadingStream.replay} turns the rows into readings.
 */
public final class LosLoopReplay implements SpeedRows {
    /** Los-loop starts on 2012-03-01 00:00 (local time of the sensors; used as UTC here). */
    public static final Instant DEFAULT_START = Instant.parse("2012-03-01T00:00:00Z");

    public static final Duration STEP = Duration.ofMinutes(5);

    private final Path file;
    private final boolean zeroIsMissing;
    private final BufferedReader reader;
    private final List<String> sensorIds;
    private long lineNumber = 1;
    private long rowsRead;

    /** Zero means "no reading", as in {@link SpeedMatrix#readCsv(Path)}. */
    public LosLoopReplay(Path csv) {
        this(csv, true);
    }

    public LosLoopReplay(Path csv, boolean zeroIsMissing) {
        this.file = csv;
        this.zeroIsMissing = zeroIsMissing;
        try {
            reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AttnstreamException("data file not found: " + csv);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        try {
            sensorIds = SpeedCsvFormat.header(csv, reader.readLine());
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            if (e instanceof AttnstreamException ae) {
                throw ae;
            }
            throw new AttnstreamException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> sensorIds() {
        return sensorIds;
    }

    public int sensors() {
        return sensorIds.size();
    }

    /** Data rows returned so far. */
    public long rowsRead() {
        return rowsRead;
    }

    @Override
    public float[] next() {
        try {
            String line;
            do {
                line = reader.readLine();
                if (line == null) {
                    return null;
                }
                lineNumber++;
            } while (line.isBlank());
            float[] row =
                    SpeedCsvFormat.row(file, lineNumber, line, sensorIds.size(), zeroIsMissing);
            rowsRead++;
            return row;
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // Nothing was written; a failed close of a reader loses nothing.
        }
    }
}
