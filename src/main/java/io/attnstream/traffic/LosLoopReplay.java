package io.attnstream.traffic;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.RecordGenerator;
import io.attnstream.schema.TrafficReading;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Replays a Los-loop style speed matrix (header row of sensor ids, then one row of speeds per five-minute step)
 * as TrafficReadings with their historical event times, {@code speedup} times faster than real time (0 = as fast
 * as possible). The file is streamed, never held in memory whole.
 */
public final class LosLoopReplay implements RecordGenerator, AutoCloseable {
    /** Los-loop starts on 2012-03-01 00:00 (local time of the sensors; used as UTC here). */
    public static final Instant DEFAULT_START = Instant.parse("2012-03-01T00:00:00Z");
    public static final Duration STEP = Duration.ofMinutes(5);

    private final String topic;
    private final String networkId;
    private final double speedup;
    private final Instant start;
    private final BufferedReader reader;
    private final String[] sensorIds;
    private final AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);
    private final Path file;
    private String[] row;
    private int column;
    private long rowIndex = -1;
    private long lineNumber = 1;
    private long wallStart = -1;

    public LosLoopReplay(Path csv, String topic, String networkId, double speedup, Instant start) {
        this.file = csv;
        this.topic = topic;
        this.networkId = networkId;
        this.speedup = speedup;
        this.start = start;
        try {
            reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
            String header = reader.readLine();
            if (header == null || header.isBlank()) {
                throw new AttnstreamException(csv + " is empty: expected a header row of sensor ids");
            }
            sensorIds = header.trim().split("\\s*,\\s*");
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    public int sensors() {
        return sensorIds.length;
    }

    @Override
    public long dueAtMillis(long nowMillis) {
        if (wallStart < 0) {
            wallStart = nowMillis;
        }
        if (speedup <= 0 || row != null && column < row.length) {
            return nowMillis;
        }
        return wallStart + (long) ((rowIndex + 1) * STEP.toMillis() / speedup);
    }

    @Override
    public Optional<ProducerRecord<byte[], byte[]>> next(long nowMillis) {
        if (row == null || column >= row.length) {
            if (!readRow()) {
                return Optional.empty();
            }
        }
        String sensor = sensorIds[column];
        float speed = parseSpeed(row[column], column);
        column++;
        Instant eventTime = start.plus(STEP.multipliedBy(rowIndex));
        TrafficReading reading = TrafficReading.newBuilder()
                .setNetworkId(networkId)
                .setSensorId(sensor)
                .setEventTime(eventTime)
                .setSpeedMph(speed)
                .build();
        return Optional.of(new ProducerRecord<>(topic, null, eventTime.toEpochMilli(),
                sensor.getBytes(StandardCharsets.UTF_8), codec.encode(reading)));
    }

    private boolean readRow() {
        try {
            String line;
            do {
                line = reader.readLine();
                lineNumber++;
                if (line == null) {
                    return false;
                }
            } while (line.isBlank());
            row = line.trim().split("\\s*,\\s*");
            if (row.length != sensorIds.length) {
                throw new AttnstreamException(file + " line " + lineNumber + ": " + row.length
                        + " values for " + sensorIds.length + " sensors");
            }
            column = 0;
            rowIndex++;
            return true;
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private float parseSpeed(String s, int col) {
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new AttnstreamException(file + " line " + lineNumber + " column " + (col + 1)
                    + ": '" + s + "' is not a number");
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
