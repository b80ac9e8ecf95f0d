package io.attnstream.platform;

import java.io.Serializable;
import java.time.Duration;
import java.util.Properties;

/**
 * How long a job's Kafka producers wait to fill a batch, and how big a batch may get: the
 * producer's {@code linger.ms} and {@code batch.size} for one pipeline's sinks. A pipeline that
 * publishes many small records per input (traffic: two per reading, 414 per interval) sends fewer,
 * larger produce requests with a longer linger, which costs its producers and the broker less CPU
 * per record; the user's own {@code --kafka-property} values win.
 */
public record SinkBatching(Duration linger, int batchBytes) implements Serializable {
    public SinkBatching {
        if (linger.isNegative() || batchBytes < 1) {
            throw new IllegalArgumentException(
                    "linger must not be negative and batch bytes >= 1, got "
                            + linger
                            + " and "
                            + batchBytes);
        }
    }

    /** The producer properties this sets, minus those {@code given} already has. */
    Properties producerDefaults(Properties given) {
        Properties p = new Properties();
        if (!given.containsKey("linger.ms")) {
            p.setProperty("linger.ms", Long.toString(linger.toMillis()));
        }
        if (!given.containsKey("batch.size")) {
            p.setProperty("batch.size", Integer.toString(batchBytes));
        }
        return p;
    }
}
