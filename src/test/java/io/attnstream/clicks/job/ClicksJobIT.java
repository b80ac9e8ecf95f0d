package io.attnstream.clicks.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.clicks.ClickFixtures;
import io.attnstream.clicks.SequenceScoring;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.inference.ModelStore;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.HistoryWeight;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.schema.ScoredItem;
import io.attnstream.testing.FlinkKafkaTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clicks job with a (stand-in) sequence model on a MiniCluster, Kafka in and out, exactly-once.
 */
class ClicksJobIT extends FlinkKafkaTestBase {

    @Test
    void everyClickGetsARecommendationAndAnAttentionRecordOverItsHistory(@TempDir Path models)
            throws Exception {
        Path dir =
                SequenceModels.writeUntrained(
                        models.resolve("seq"), "seq", "1", 200, 8, 16, 2, 1, 3);
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(AttnstreamOptions.PARALLELISM, 2);
        conf.set(AttnstreamOptions.START_FROM, "earliest");
        conf.set(AttnstreamOptions.TOPIC_PREFIX, "cj.");
        Topics topics = Topics.from(conf);
        String in = topics.name(Topics.CLICKS_EVENTS);
        KAFKA.createTopics(
                2,
                in,
                topics.name(Topics.CLICKS_RECOMMENDATIONS),
                topics.name(Topics.CLICKS_ATTENTION),
                topics.name(Topics.DEAD_LETTER));

        // 6 users x 10 clicks, in order per user; one click without an item id.
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        AvroCodec<ClickEvent> codec = AvroCodec.of(ClickEvent.class);
        Map<String, List<String>> clicksByUser = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String user = "u" + (i % 6);
            String item = Integer.toString(1 + (i * 7) % 200);
            clicksByUser.computeIfAbsent(user, k -> new ArrayList<>()).add(item);
            List<String> candidates = i % 5 == 0 ? List.of("1", "2", "nope") : List.of();
            ClickEvent click = ClickFixtures.click(user, item, i, candidates);
            click.setEventId("e" + i);
            records.add(
                    new ProducerRecord<>(
                            in, user.getBytes(StandardCharsets.UTF_8), codec.encode(click)));
        }
        records.add(
                new ProducerRecord<>(
                        in,
                        "u0".getBytes(StandardCharsets.UTF_8),
                        codec.encode(ClickFixtures.click("u0", "", 99, List.of()))));
        // a re-delivery of u1's first click (same event id): neither scored nor added again
        ClickEvent first = codec.decode(records.get(1).value());
        records.add(
                new ProducerRecord<>(
                        in, "u1".getBytes(StandardCharsets.UTF_8), codec.encode(first)));
        KAFKA.produce(records);

        JobSettings job = JobSettings.from(ClicksJob.NAME, conf);
        StreamExecutionEnvironment env = FlinkEnvironments.ambient(job, conf);
        PipelineContext ctx =
                new PipelineContext(
                        KAFKA.settings(), job, topics, conf, OffsetsInitializer.latest());
        var spec = ModelStore.readSpec(dir);
        ClicksJob.defineWorkflow(
                env,
                ctx.source(Topics.CLICKS_EVENTS, ClicksJob.events()),
                null,
                new ClicksJob.Settings(
                        "seq",
                        dir,
                        SequencePreprocessing.of(spec).maxLength(),
                        UserHistoryFunction.DEFAULT_HISTORY_KEEP,
                        5,
                        Duration.ofDays(1),
                        RuntimeSettings.from(conf, "seq"),
                        Duration.ofHours(1),
                        EnumSet.allOf(ClickEventType.class),
                        true,
                        UserHistoryFunction.DEFAULT_DEDUP_KEEP,
                        null),
                recs ->
                        ctx.sink(
                                recs,
                                Topics.CLICKS_RECOMMENDATIONS,
                                Recommendation.class,
                                Recommendation::getUserId),
                att ->
                        ctx.sink(
                                att,
                                Topics.CLICKS_ATTENTION,
                                RecommendationAttention.class,
                                RecommendationAttention::getUserId),
                ctx::deadLetterSink);
        env.execute("clicks-it");

        AvroCodec<Recommendation> recCodec = AvroCodec.of(Recommendation.class);
        AvroCodec<RecommendationAttention> attCodec = AvroCodec.of(RecommendationAttention.class);
        var recs =
                KAFKA.consume(
                        topics.name(Topics.CLICKS_RECOMMENDATIONS),
                        true,
                        60,
                        Duration.ofSeconds(30));
        var atts =
                KAFKA.consume(
                        topics.name(Topics.CLICKS_ATTENTION), true, 60, Duration.ofSeconds(30));
        assertThat(recs).hasSize(60);
        assertThat(atts).hasSize(60);

        Map<String, RecommendationAttention> attentionById = new HashMap<>();
        for (var r : atts) {
            RecommendationAttention a = attCodec.decode(r.value());
            attentionById.put(a.getPredictionId(), a);
        }
        Map<String, Integer> seenPerUser = new HashMap<>();
        Map<String, float[]> direct = directScores(dir, attentionById.values());
        for (var r : recs) {
            Recommendation rec = recCodec.decode(r.value());
            assertThat(rec.getModelName()).isEqualTo("seq");
            assertThat(rec.getModelVersion()).isEqualTo("1");
            assertThat(rec.getTopItems()).hasSize(5);
            RecommendationAttention a = attentionById.get(rec.getPredictionId());
            assertThat(a).as("attention record for %s", rec.getPredictionId()).isNotNull();
            assertThat(a.getUserId()).isEqualTo(rec.getUserId());
            assertThat(a.getLineage()).isEqualTo(rec.getLineage());
            double sum = a.getHistory().stream().mapToDouble(HistoryWeight::getWeight).sum();
            assertThat(sum).isCloseTo(1.0, within(1e-4));
            // per head on request (the model has 2 heads): each head's weights sum to 1, their mean
            // is the weight
            for (int h = 0; h < 2; h++) {
                int head = h;
                assertThat(a.getHistory())
                        .allSatisfy(w -> assertThat(w.getHeadWeights()).hasSize(2));
                double headSum =
                        a.getHistory().stream()
                                .mapToDouble(w -> w.getHeadWeights().get(head))
                                .sum();
                assertThat(headSum).as("head %d", h).isCloseTo(1.0, within(1e-4));
            }
            assertThat(a.getHistory())
                    .allSatisfy(
                            w ->
                                    assertThat(
                                                    (w.getHeadWeights().get(0)
                                                                    + w.getHeadWeights().get(1))
                                                            / 2)
                                            .isCloseTo(w.getWeight(), within(1e-5f)));
            assertThat(a.getHistory()).hasSize(rec.getHistoryLength()).hasSizeLessThanOrEqualTo(8);
            List<String> userClicks = clicksByUser.get(rec.getUserId());
            Set<String> history =
                    Set.copyOf(a.getHistory().stream().map(HistoryWeight::getItemId).toList());
            assertThat(userClicks).containsAll(history);
            assertThat(rec.getTopItems())
                    .extracting(ScoredItem::getItemId)
                    .doesNotContainAnyElementsOf(history);
            if (!rec.getCandidateScores().isEmpty()) {
                assertThat(rec.getCandidateScores())
                        .extracting(ScoredItem::getItemId)
                        .containsExactly("1", "2", "nope");
                assertThat(rec.getCandidateScores().get(2).getScore())
                        .as("unknown candidate")
                        .isNaN();
                assertThat(rec.getCandidateScores().get(0).getScore()).isFinite();
            }
            // The job's scores are the model's on the same history: each recommended item's score
            // equals the direct forward pass, and no other item the user has not seen scores higher
            // than the last one listed.
            float[] scores = direct.get(rec.getPredictionId());
            ItemVocabulary vocab = SequencePreprocessing.of(spec).vocabulary();
            for (ScoredItem top : rec.getTopItems()) {
                assertThat(top.getScore())
                        .isCloseTo(scores[vocab.indexOf(top.getItemId())], within(1e-4f));
            }
            float lowestListed = rec.getTopItems().get(rec.getTopItems().size() - 1).getScore();
            Set<Integer> excluded = new HashSet<>();
            history.forEach(h -> excluded.add(vocab.indexOf(h)));
            rec.getTopItems().forEach(t -> excluded.add(vocab.indexOf(t.getItemId())));
            for (int item = 1; item < scores.length; item++) {
                if (!excluded.contains(item)) {
                    assertThat(scores[item])
                            .as("item %d outside the top list", item)
                            .isLessThanOrEqualTo(lowestListed + 1e-4f);
                }
            }
            seenPerUser.merge(rec.getUserId(), 1, Integer::sum);
        }
        assertThat(seenPerUser).hasSize(6).allSatisfy((u, n) -> assertThat(n).isEqualTo(10));

        var dead = KAFKA.consume(topics.name(Topics.DEAD_LETTER), true, 1, Duration.ofSeconds(20));
        assertThat(dead).hasSize(1);
        DeadLetter d = AvroCodec.of(DeadLetter.class).decode(dead.get(0).value());
        assertThat(d.getStage()).isEqualTo(FailureStage.VALIDATE);
        assertThat(d.getReason()).isEqualTo("item_id is empty");
    }

    /** Scores from the model called directly on each attention record's history. */
    private static Map<String, float[]> directScores(
            Path dir, Collection<RecommendationAttention> records) {
        Map<String, List<String>> histories = new HashMap<>();
        for (RecommendationAttention a : records) {
            histories.put(
                    a.getPredictionId(),
                    a.getHistory().stream().map(HistoryWeight::getItemId).toList());
        }
        return SequenceScoring.scores(dir, histories);
    }
}
