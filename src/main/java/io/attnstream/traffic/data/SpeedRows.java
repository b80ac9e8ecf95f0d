package io.attnstream.traffic.data;

import java.util.List;

/**
 * Speed rows one step at a time, oldest first: a simulator (endless) or a file being read (finite).
 * Lets {@code sim.TrafficReadingStream} stream either without holding the whole series in memory.
 */
public interface SpeedRows extends AutoCloseable {
    /** Column order of the rows. */
    List<String> sensorIds();

    /** The next row (N) in mph, NaN = no reading; null when there are no more rows. */
    float[] next();

    @Override
    default void close() {}
}
