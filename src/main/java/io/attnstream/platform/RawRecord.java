package io.attnstream.platform;

/**
 * A Kafka record as it arrived: undecoded bytes and their coordinates. The Kafka source emits these
 * and never fails; decoding happens in {@link DecodeFunction} so a bad record becomes a dead letter
 * instead of a restart loop at the same offset. A Flink POJO (public fields, no-arg constructor),
 * so no Kryo.
 */
public class RawRecord {
    public String topic;
    public int partition;
    public long offset;

    /** Kafka record timestamp in epoch ms, or -1 when the record had none. */
    public long timestamp;

    public byte[] key;
    public byte[] value;

    public RawRecord() {}

    public RawRecord(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
