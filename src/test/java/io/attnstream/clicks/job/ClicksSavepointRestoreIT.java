package io.attnstream.clicks.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.HistoryWeight;
import io.attnstream.schema.ModelUpdate;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.PipelineRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint of the whole clicks job written by the release before item-id histories ({@link
 * ClicksSavepointFixture}, commit 76f4812) restores into this release: the histories, kept there as
 * indexes of the recorded version's vocabulary, come back as the same items although the job is
 * started with a retrained model whose vocabulary puts every item elsewhere; and with the recorded
 * version's directory gone, the job refuses to start with one line.
 */
class ClicksSavepointRestoreIT extends FlinkKafkaTestBase {
    private static final String FIXTURE = "/state-fixtures/clicks-job-76f4812";

    private static Path fixture(String name) throws Exception {
        return Path.of(ClicksSavepointRestoreIT.class.getResource(FIXTURE + "/" + name).toURI());
    }

    /** A retrained model: new items first and the old ones reversed, so every index moved. */
    private static Path retrained(Path root) {
        List<String> vocabulary =
                new ArrayList<>(List.of("new-1", "new-2", "new-3", "new-4", "new-5"));
        List<String> old = new ArrayList<>(ClicksSavepointFixture.VOCABULARY);
        Collections.reverse(old);
        vocabulary.addAll(old);
        return SequenceModels.writeUntrained(
                root.resolve("shop/3"),
                "shop",
                "3",
                ItemVocabulary.of(vocabulary),
                ClicksSavepointFixture.MAX_LENGTH,
                8,
                2,
                1,
                3);
    }

    @Test
    void historiesComeBackAsTheItemsThatWereClickedReadThroughTheRecordedVersion(
            @TempDir Path models) throws Exception {
        ClicksSavepointFixture.writeModel("1");
        ClicksSavepointFixture.writeModel("2");
        Configuration conf = ClicksSavepointFixture.config(retrained(models));
        Topics topics = PipelineRun.createTopics(KAFKA, new ClicksPipeline(), conf);
        String in = topics.name(Topics.CLICKS_EVENTS);
        String attTopic = topics.name(Topics.CLICKS_ATTENTION);
        // The records the fixture job consumed, again: its restored offsets point past them.
        Map<String, List<String>> clicked = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> replay = new ArrayList<>();
        AvroCodec<ClickEvent> codec = AvroCodec.of(ClickEvent.class);
        int round = 0;
        for (String line : Files.readAllLines(fixture("clicks.txt"))) {
            String[] f = line.split(" ");
            if (f[0].equals(topics.name(Topics.MODEL_UPDATES))) {
                replay.add(
                        new ProducerRecord<>(
                                f[0],
                                f[1].getBytes(StandardCharsets.UTF_8),
                                AvroCodec.of(ModelUpdate.class)
                                        .encode(ClicksSavepointFixture.update())));
                continue;
            }
            int u = Integer.parseInt(f[1].substring(1));
            int j = Integer.parseInt(f[2].substring(f[2].indexOf('-') + 1));
            ClickEvent e = ClicksSavepointFixture.click(u, j);
            assertThat(e.getItemId()).isEqualTo(f[3]);
            clicked.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[3]);
            replay.add(
                    new ProducerRecord<>(
                            in, f[1].getBytes(StandardCharsets.UTF_8), codec.encode(e)));
            round = Math.max(round, j + 1);
        }
        KAFKA.produce(replay);

        try (PipelineRun run =
                PipelineRun.start(
                        new ClicksPipeline(),
                        KAFKA.settings(),
                        conf,
                        fixture("savepoint").toUri().toString())) {
            List<ProducerRecord<byte[], byte[]>> next = new ArrayList<>();
            for (int u = 0; u < ClicksSavepointFixture.USERS; u++) {
                ClickEvent e = ClicksSavepointFixture.click(u, round);
                clicked.get(e.getUserId()).add(e.getItemId());
                next.add(
                        new ProducerRecord<>(
                                in,
                                e.getUserId().getBytes(StandardCharsets.UTF_8),
                                codec.encode(e)));
            }
            KAFKA.produce(next);
            var atts =
                    KAFKA.consume(
                            attTopic, true, ClicksSavepointFixture.USERS, Duration.ofSeconds(90));
            assertThat(atts)
                    .as("one attention record per new click")
                    .hasSize(ClicksSavepointFixture.USERS);
            AvroCodec<RecommendationAttention> ac = AvroCodec.of(RecommendationAttention.class);
            int l = ClicksSavepointFixture.MAX_LENGTH;
            for (var r : atts) {
                RecommendationAttention a = ac.decode(r.value());
                List<String> all = clicked.get(a.getUserId());
                assertThat(a.getHistory().stream().map(HistoryWeight::getItemId).toList())
                        .as(
                                "%s: the items clicked before the savepoint, then the new one",
                                a.getUserId())
                        .isEqualTo(all.subList(all.size() - l, all.size()));
            }
        }
    }

    @Test
    void withTheRecordedVersionGoneTheJobRefusesToStartWithOneLine(@TempDir Path models)
            throws Exception {
        Path recorded = ClicksSavepointFixture.MODELS.resolve("shop/2");
        if (Files.exists(recorded)) {
            FileUtils.deleteDirectory(recorded.toFile());
        }
        Configuration conf = ClicksSavepointFixture.config(retrained(models));
        String savepoint = fixture("savepoint").toUri().toString();
        assertThatThrownBy(
                        () ->
                                PipelineRun.start(
                                        new ClicksPipeline(), KAFKA.settings(), conf, savepoint))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "savepoint "
                                + savepoint
                                + " holds clicks state of an earlier release, written in the terms"
                                + " of shop@2, whose model directory "
                                + recorded
                                + " is gone: put it back to convert the state, or start without the"
                                + " savepoint")
                .satisfies(e -> assertThat(Stream.of(e.getMessage().split("\n"))).hasSize(1));
    }
}
