package io.attnstream.traffic;

import io.attnstream.pipeline.PipelineContext;
import io.attnstream.pipeline.TrafficBaselinePipeline;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.Topics;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.TrafficFixtures;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traffic baseline job on a MiniCluster (parallelism 2) against the in-process broker: Avro in, Avro out
 * through exactly-once sinks, read back read_committed; corrupt records land on the dead-letter topic while the
 * valid ones still come out.
 */
class TrafficBaselineJobIT extends FlinkKafkaTestBase {

    private static final int SENSORS = 10;
    private static final int STEPS = 30;

    @Test
    void everyValidReadingYieldsExactlyOneCommittedForecastAndCorruptOnesBecomeDeadLetters() throws Exception {
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(AttnstreamOptions.PARALLELISM, 2);
        conf.set(AttnstreamOptions.START_FROM, "earliest");
        conf.set(TrafficBaselinePipeline.HORIZON, 6);
        Topics topics = Topics.from(conf);
        String in = topics.name(Topics.TRAFFIC_READINGS);
        String out = topics.name(Topics.TRAFFIC_FORECASTS);
        String dead = topics.name(Topics.DEAD_LETTER);
        KAFKA.createTopics(2, in, out, dead);

        // 300 valid readings, with a truncated record and an out-of-range speed in the middle.
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<TrafficReading> valid = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            for (int s = 0; s < SENSORS; s++) {
                TrafficReading r = TrafficFixtures.reading("s" + s, step, 20f + s + step * 0.5f);
                valid.add(r);
                records.add(record(in, r.getSensorId(), TrafficFixtures.bytes(r)));
            }
            if (step == 10) {
                records.add(record(in, "s3", TrafficFixtures.truncated(TrafficFixtures.reading("s3", step, 40f))));
                records.add(record(in, "s4", TrafficFixtures.bytes(TrafficFixtures.reading("s4", step, -3f))));
            }
        }
        List<RecordMetadata> meta = KAFKA.produce(records);
        Map<String, TrafficReading> byCoordinates = new HashMap<>();
        int v = 0;
        List<String> badCoordinates = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String coord = meta.get(i).partition() + "@" + meta.get(i).offset();
            if (i == 10 * SENSORS + SENSORS || i == 10 * SENSORS + SENSORS + 1) {
                badCoordinates.add(coord);
            } else {
                byCoordinates.put(coord, valid.get(v++));
            }
        }
        assertThat(byCoordinates).hasSize(SENSORS * STEPS);

        JobSettings job = JobSettings.from(new TrafficBaselinePipeline().jobName(), conf);
        StreamExecutionEnvironment env = FlinkEnvironments.ambient(job, conf);
        new TrafficBaselinePipeline().build(env,
                new PipelineContext(KAFKA.settings(), job, topics, conf, OffsetsInitializer.latest()));
        env.execute("traffic-baseline-it");

        AvroCodec<TrafficForecast> forecastCodec = AvroCodec.of(TrafficForecast.class);
        List<ConsumerRecord<byte[], byte[]>> forecasts = KAFKA.consume(out, true, SENSORS * STEPS, Duration.ofSeconds(60));
        assertThat(forecasts).hasSize(SENSORS * STEPS);
        Set<String> seen = new HashSet<>();
        for (var rec : forecasts) {
            TrafficForecast f = forecastCodec.decode(rec.value());
            String coord = f.getLineage().getPartition() + "@" + f.getLineage().getOffset();
            assertThat(seen.add(coord)).as("duplicate forecast for input %s", coord).isTrue();
            TrafficReading input = byCoordinates.get(coord);
            assertThat(input).as("forecast names an input that was not sent: %s", coord).isNotNull();
            assertThat(f.getLineage().getTopic()).isEqualTo(in);
            assertThat(f.getSensorId()).isEqualTo(input.getSensorId());
            assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo(input.getSensorId());
            assertThat(f.getEventTime()).isEqualTo(input.getEventTime());
            assertThat(f.getSpeedsMph()).hasSize(6).containsOnly(input.getSpeedMph());
            assertThat(f.getModelName()).isEqualTo("last-value");
        }

        AvroCodec<DeadLetter> deadCodec = AvroCodec.of(DeadLetter.class);
        List<ConsumerRecord<byte[], byte[]>> letters = KAFKA.consume(dead, true, 2, Duration.ofSeconds(30));
        assertThat(letters).hasSize(2);
        Map<FailureStage, DeadLetter> byStage = new HashMap<>();
        for (var rec : letters) {
            DeadLetter d = deadCodec.decode(rec.value());
            byStage.put(d.getStage(), d);
            assertThat(d.getSourceTopic()).isEqualTo(in);
            assertThat(badCoordinates).contains(d.getSourcePartition() + "@" + d.getSourceOffset());
        }
        assertThat(byStage.get(FailureStage.DECODE).getReason()).startsWith("not a valid TrafficReading");
        assertThat(byStage.get(FailureStage.VALIDATE).getReason()).contains("speed_mph -3.0");
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
