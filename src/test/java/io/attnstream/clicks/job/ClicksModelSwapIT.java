package io.attnstream.clicks.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.clicks.ClickFixtures;
import io.attnstream.clicks.SequenceScoring;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.HistoryWeight;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.schema.ScoredItem;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.PipelineRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nightly retrain deployed by hot-swap (issue 15): the clicks job serves version 1 (vocabulary
 * A), users click items only version 2 knows, then version 2 (A and new items, every index moved)
 * is published. The switch is accepted, every key switches once, no dead letter; the new items that
 * were clicked while version 1 served are in the histories version 2 attends over, and every output
 * of version 2 equals version 2 called directly on the same id history.
 */
class ClicksModelSwapIT extends FlinkKafkaTestBase {
    private static final int USERS = 6;
    private static final int L = 8;
    private static final List<String> OLD = IntStream.range(0, 40).mapToObj(i -> "a" + i).toList();
    private static final List<String> NEW = IntStream.range(0, 10).mapToObj(i -> "n" + i).toList();

    private final AvroCodec<ClickEvent> clicks = AvroCodec.of(ClickEvent.class);
    private final Map<String, List<String>> clicked = new HashMap<>();

    /** Click j of user u: every third one on an item only version 2 knows. */
    private static String item(int u, int j) {
        return j % 3 == 2 ? NEW.get((u + j) % NEW.size()) : OLD.get((u * 7 + j * 3) % OLD.size());
    }

    private ProducerRecord<byte[], byte[]> click(String topic, String user, String item, int j) {
        ClickEvent e = ClickFixtures.click(user, item, j, List.of(OLD.get(0), NEW.get(0)));
        e.setEventId(user + "-" + j);
        clicked.computeIfAbsent(user, k -> new ArrayList<>()).add(item);
        return new ProducerRecord<>(topic, user.getBytes(StandardCharsets.UTF_8), clicks.encode(e));
    }

    @Test
    void aRetrainedVersionWithNewItemsIsSwappedInAndSeesTheItemsClickedBeforeIt(
            @TempDir Path models) throws Exception {
        Path v1 =
                SequenceModels.writeUntrained(
                        models.resolve("shop/1"),
                        "shop",
                        "1",
                        ItemVocabulary.of(OLD),
                        L,
                        16,
                        2,
                        1,
                        3);
        List<String> both = new ArrayList<>(NEW);
        both.addAll(OLD); // the new items first: every old item's index moves
        Path v2 =
                SequenceModels.writeUntrained(
                        models.resolve("shop/2"),
                        "shop",
                        "2",
                        ItemVocabulary.of(both),
                        L,
                        16,
                        2,
                        1,
                        4);

        Configuration conf = PipelineRun.config("swap.", 2);
        conf.set(ClicksPipeline.MODEL, v1.toString());
        conf.set(ClicksPipeline.TOP_K, 5);
        Topics topics = PipelineRun.createTopics(KAFKA, new ClicksPipeline(), conf);
        String in = topics.name(Topics.CLICKS_EVENTS);
        String recsTopic = topics.name(Topics.CLICKS_RECOMMENDATIONS);
        String attTopic = topics.name(Topics.CLICKS_ATTENTION);

        int before = 8;
        int after = 4;
        List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
        for (int j = 0; j < before; j++) {
            for (int u = 0; u < USERS; u++) {
                first.add(click(in, "u" + u, item(u, j), j));
            }
        }
        Map<String, List<String>> historyAt = new HashMap<>(); // prediction key -> ids
        try (PipelineRun run =
                PipelineRun.start(new ClicksPipeline(), KAFKA.settings(), conf, null)) {
            KAFKA.produce(first);
            assertThat(KAFKA.consume(recsTopic, true, USERS * before, Duration.ofSeconds(90)))
                    .hasSize(USERS * before);

            KAFKA.produce(List.of(PipelineRun.update(topics, "shop", "2", v2, Instant.now())));
            int probes = awaitVersion(in, recsTopic, "2", USERS * before);

            List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>();
            for (int j = before; j < before + after; j++) {
                for (int u = 0; u < USERS; u++) {
                    second.add(click(in, "u" + u, item(u, j), j));
                }
            }
            KAFKA.produce(second);
            int total = USERS * (before + after) + probes;
            List<Recommendation> recs =
                    decode(
                            KAFKA.consume(recsTopic, true, total, Duration.ofSeconds(90)),
                            Recommendation.class);
            List<RecommendationAttention> atts =
                    decode(
                            KAFKA.consume(attTopic, true, total, Duration.ofSeconds(30)),
                            RecommendationAttention.class);
            assertThat(recs).hasSize(total);
            assertThat(atts).hasSize(total);
            assertThat(
                            KAFKA.consume(
                                    topics.name(Topics.DEAD_LETTER),
                                    true,
                                    1,
                                    Duration.ofSeconds(3)))
                    .as("the update is accepted: no MODEL_UPDATE dead letter")
                    .isEmpty();

            Map<String, RecommendationAttention> attention = new HashMap<>();
            atts.forEach(a -> attention.put(a.getPredictionId(), a));
            Map<String, List<Recommendation>> byUser = new LinkedHashMap<>();
            recs.stream()
                    .filter(r -> !r.getUserId().equals("probe"))
                    .forEach(
                            r ->
                                    byUser.computeIfAbsent(r.getUserId(), k -> new ArrayList<>())
                                            .add(r));
            assertThat(byUser).hasSize(USERS);

            Map<String, List<String>> v2Histories = new HashMap<>();
            int newItemsAttended = 0;
            int newItemsRecommended = 0;
            for (var e : byUser.entrySet()) {
                List<Recommendation> own = e.getValue();
                own.sort(Comparator.comparing(r -> r.getEventTime()));
                assertThat(own).hasSize(before + after);
                List<String> log = clicked.get(e.getKey());
                for (int j = 0; j < own.size(); j++) {
                    Recommendation r = own.get(j);
                    List<String> upTo = log.subList(0, j + 1);
                    List<String> attended =
                            attention.get(r.getPredictionId()).getHistory().stream()
                                    .map(HistoryWeight::getItemId)
                                    .toList();
                    if (j < before) {
                        assertThat(r.getModelVersion()).isEqualTo("1");
                        List<String> known = upTo.stream().filter(OLD::contains).toList();
                        assertThat(attended)
                                .as("version 1 attends over the items it knows")
                                .isEqualTo(
                                        known.subList(Math.max(0, known.size() - L), known.size()));
                        assertThat(r.getCandidateScores().get(1).getScore())
                                .as("n0 is unknown to version 1")
                                .isNaN();
                    } else {
                        assertThat(r.getModelVersion())
                                .as(
                                        "%s switched once, before its clicks after the swap",
                                        e.getKey())
                                .isEqualTo("2");
                        List<String> last = upTo.subList(Math.max(0, upTo.size() - L), upTo.size());
                        assertThat(attended)
                                .as("version 2 sees every item, those clicked under version 1 too")
                                .isEqualTo(last);
                        newItemsAttended += (int) attended.stream().filter(NEW::contains).count();
                        newItemsRecommended +=
                                (int)
                                        r.getTopItems().stream()
                                                .map(ScoredItem::getItemId)
                                                .filter(NEW::contains)
                                                .count();
                        v2Histories.put(r.getPredictionId(), last);
                    }
                }
            }
            assertThat(newItemsAttended).isPositive();
            assertThat(newItemsRecommended).as("version 2 recommends new items").isPositive();

            Map<String, float[]> direct = SequenceScoring.scores(v2, v2Histories);
            ItemVocabulary vocab = ItemVocabulary.of(both);
            for (Recommendation r : recs) {
                float[] scores = direct.get(r.getPredictionId());
                if (scores == null) {
                    continue;
                }
                for (ScoredItem top : r.getTopItems()) {
                    assertThat(top.getScore())
                            .as("%s of %s", top.getItemId(), r.getPredictionId())
                            .isCloseTo(scores[vocab.indexOf(top.getItemId())], within(1e-4f));
                }
                for (ScoredItem c : r.getCandidateScores()) {
                    assertThat(c.getScore())
                            .isCloseTo(scores[vocab.indexOf(c.getItemId())], within(1e-4f));
                }
            }
        }
    }

    /**
     * Clicks of a probe user until one is scored by {@code version}: from then on the runtime
     * serves it (it switches between batches, for every key).
     *
     * @return the probe's recommendations
     */
    private int awaitVersion(String in, String recsTopic, String version, int seen)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int probe = 0; System.nanoTime() < deadline; probe++) {
            KAFKA.produce(List.of(click(in, "probe", OLD.get(probe % OLD.size()), 100 + probe)));
            var recs = KAFKA.consume(recsTopic, true, seen + probe + 1, Duration.ofSeconds(20));
            for (Recommendation r : decode(recs, Recommendation.class)) {
                if (r.getUserId().equals("probe") && r.getModelVersion().equals(version)) {
                    return probe + 1;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no recommendation of version " + version + " within 60 s");
    }

    private static <T extends SpecificRecordBase> List<T> decode(
            List<ConsumerRecord<byte[], byte[]>> records, Class<T> type) throws IOException {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<T> out = new ArrayList<>(records.size());
        for (var r : records) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }
}
