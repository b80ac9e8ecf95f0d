package io.attnstream.platform;

import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/** The shared dead-letter path: one side-output tag and one way to describe a failed record. */
public final class DeadLetters {
    private DeadLetters() {}

    /**
     * Side output every operator sends rejected records to; the job routes it to the dead-letter
     * topic.
     */
    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /**
     * Buffer timeout of the edges that carry only dead letters. Flink gives every network output a
     * flusher thread that wakes every buffer timeout, data or not: at the jobs' 2 ms on the edges
     * to the dead-letter sink, those threads woke 500 times a second each, for records that come
     * rarely and that an exactly-once sink publishes only at the next checkpoint anyway.
     */
    public static final long BUFFER_TIMEOUT_MILLIS = 100;

    /**
     * The dead letters of {@code stage}, leaving it through a chained pass-through whose network
     * edge has its own buffer timeout ({@link #BUFFER_TIMEOUT_MILLIS}): set on the stage itself it
     * would also slow its records.
     */
    public static DataStream<DeadLetter> outOf(SingleOutputStreamOperator<?> stage) {
        return outOf(stage, TAG);
    }

    /**
     * {@link #outOf(SingleOutputStreamOperator)} for another side output of dead letters (e.g. late
     * records).
     */
    public static DataStream<DeadLetter> outOf(
            SingleOutputStreamOperator<?> stage, OutputTag<DeadLetter> tag) {
        String uid = stage.getTransformation().getUid() + "-" + tag.getId();
        return stage.getSideOutput(tag)
                .map(d -> d)
                .returns(tag.getTypeInfo())
                .uid(uid)
                .name(tag.getId() + " of " + stage.getName())
                // the stage's parallelism, or it would not chain (the model-update decoder runs
                // with 1)
                .setParallelism(stage.getParallelism())
                .setBufferTimeout(BUFFER_TIMEOUT_MILLIS);
    }

    /** Reasons are kept readable: an exception's message can be huge (whole payload dumps). */
    static final int MAX_REASON_CHARS = 1000;

    public static DeadLetter of(
            String job, FailureStage stage, String reason, Throwable error, RawRecord source) {
        return DeadLetter.newBuilder()
                .setJob(job)
                .setStage(stage)
                .setReason(truncate(reason))
                .setErrorClass(error == null ? null : error.getClass().getName())
                .setSourceTopic(source.topic)
                .setSourcePartition(source.partition)
                .setSourceOffset(source.offset)
                .setSourceTimestamp(
                        source.timestamp < 0 ? null : Instant.ofEpochMilli(source.timestamp))
                .setKey(source.key == null ? null : ByteBuffer.wrap(source.key))
                .setPayload(source.value == null ? null : ByteBuffer.wrap(source.value))
                .setFailedAt(Instant.now())
                .build();
    }

    /** A failure after decoding, when only the lineage and the re-encoded value are at hand. */
    public static <T extends SpecificRecord> DeadLetter of(
            String job,
            FailureStage stage,
            String reason,
            Throwable error,
            Sourced<T> source,
            AvroCodec<T> codec) {
        RawRecord raw =
                new RawRecord(
                        source.topic,
                        source.partition,
                        source.offset,
                        -1,
                        null,
                        codec.encode(source.value));
        return of(job, stage, reason, error, raw);
    }

    private static String truncate(String reason) {
        String r = reason == null ? "(no reason given)" : reason;
        return r.length() <= MAX_REASON_CHARS ? r : r.substring(0, MAX_REASON_CHARS) + "...";
    }
}
