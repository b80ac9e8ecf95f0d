package io.attnstream.pipeline;

import io.attnstream.platform.Decoded;
import io.attnstream.platform.DecodingDeserializer;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.KafkaSinks;
import io.attnstream.platform.KafkaSources;
import io.attnstream.platform.RawRecord;
import io.attnstream.platform.SinkBatching;
import io.attnstream.platform.Topics;
import io.attnstream.schema.DeadLetter;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableFunction;

/**
 * What a pipeline needs to wire itself to Kafka: settings, topic names, and builders for sources
 * and exactly-once sinks with stable uids.
 *
 * @param stopAt null for unbounded sources; otherwise where sources stop (tests, replays)
 */
public record PipelineContext(
        KafkaSettings kafka,
        JobSettings job,
        Topics topics,
        ReadableConfig config,
        OffsetsInitializer stopAt) {

    /**
     * The topic's records, decoded and validated in the source by {@code decoder} (value or dead
     * letter).
     */
    public <T extends SpecificRecordBase> KafkaSource<Decoded<T>> source(
            ConfigOption<String> topic, DecodingDeserializer<T> decoder) {
        return KafkaSources.decoded(kafka, job, List.of(topics.name(topic)), stopAt, decoder);
    }

    /**
     * The model-updates source: after the updates published before a fresh start (see
     * KafkaSources).
     */
    public KafkaSource<RawRecord> modelUpdatesSource() {
        return KafkaSources.modelUpdates(kafka, job, topics.name(Topics.MODEL_UPDATES));
    }

    public <T extends SpecificRecord> void sink(
            DataStream<T> stream,
            ConfigOption<String> topic,
            Class<T> type,
            SerializableFunction<T, String> key) {
        sink(stream, topic, type, key, null);
    }

    /** As {@link #sink}, with the pipeline's producer batching (null: Kafka's defaults). */
    public <T extends SpecificRecord> void sink(
            DataStream<T> stream,
            ConfigOption<String> topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SinkBatching batching) {
        String name = topics.name(topic);
        stream.sinkTo(KafkaSinks.forJob(kafka, job, name, type, key, batching))
                .uid("sink-" + job.jobName() + "-" + topic.key())
                .name(
                        "kafka "
                                + (job.exactlyOnce() ? "exactly-once" : "at-least-once")
                                + ": "
                                + name);
    }

    /**
     * Publishes attention records like {@link #sink}, keeping only the share {@link
     * AttentionSample#RATE} of them (by prediction id) when it is below 1.
     */
    public <T extends SpecificRecord> void attentionSink(
            DataStream<T> stream,
            ConfigOption<String> topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SerializableFunction<T, String> predictionId) {
        attentionSink(stream, topic, type, key, predictionId, null);
    }

    /**
     * As {@link #attentionSink}, with the pipeline's producer batching (null: Kafka's defaults).
     */
    public <T extends SpecificRecord> void attentionSink(
            DataStream<T> stream,
            ConfigOption<String> topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SerializableFunction<T, String> predictionId,
            SinkBatching batching) {
        double rate = config.get(AttentionSample.RATE);
        AttentionSample<T> sample = new AttentionSample<>(rate, predictionId); // validates the rate
        DataStream<T> published = stream;
        if (rate < 1.0) {
            published =
                    stream.filter(sample)
                            .uid("attention-sample-" + job.jobName())
                            .name("attention sample (" + rate + ")");
        }
        sink(published, topic, type, key, batching);
    }

    /** Dead letters are keyed by their source topic, so one topic's failures stay in order. */
    public void deadLetterSink(DataStream<DeadLetter> deadLetters) {
        sink(deadLetters, Topics.DEAD_LETTER, DeadLetter.class, DeadLetter::getSourceTopic);
    }
}
