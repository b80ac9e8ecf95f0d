package io.attnstream.clicks.job;

import io.attnstream.clicks.ClickFixtures;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ModelUpdate;
import io.attnstream.schema.Recommendation;
import io.attnstream.testing.EmbeddedKafkaExtension;
import io.attnstream.testing.PipelineRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A whole clicks job's savepoint written by a release, kept as a fixture so that later releases
 * prove they restore it (issue 15): {@code run clicks} on a MiniCluster and an embedded broker,
 * started on {@code shop@1}, hot-swapped to {@code shop@2} (recorded in the update operator's
 * state), then stopped with a savepoint. The savepoint of the release before item-id histories was
 * written with this class at commit 76f4812 (it compiles against that release and this one):
 *
 * <pre>
 * git worktree add /tmp/r76 76f4812
 * cp src/test/java/io/attnstream/clicks/job/ClicksSavepointFixture.java \
 *     /tmp/r76/src/test/java/io/attnstream/clicks/job/
 * cp src/test/java/io/attnstream/testing/PipelineRun.java /tmp/r76/src/test/java/io/attnstream/testing/
 * cd /tmp/r76 &amp;&amp; mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.attnstream.schema \
 *     -cp "target/test-classes:target/classes:$(cat target/test.cp)" \
 *     io.attnstream.clicks.job.ClicksSavepointFixture /work/main/src/test/resources/state-fixtures/clicks-job-76f4812
 * </pre>
 *
 * <p>The directory gets the savepoint ({@code savepoint/}, relocatable) and {@code clicks.txt}, the
 * records the job consumed in order ({@code topic key event-id item}), so a test can put the same
 * records into its own broker (the restored offsets then point past them).
 */
public final class ClicksSavepointFixture {
    /** Where the models are, relative to the working directory (the update records this path). */
    public static final Path MODELS = Path.of("target/clicks-savepoint-fixture/models");

    /** The vocabulary both versions were trained with (the release swapped only within one). */
    public static final List<String> VOCABULARY =
            IntStream.range(0, 20).mapToObj(i -> "a" + i).toList();

    public static final int MAX_LENGTH = 4;
    public static final int USERS = 4;
    public static final String PREFIX = "spfix.";

    private ClicksSavepointFixture() {}

    /** The two versions, written again identically by the test that restores the fixture. */
    public static Path writeModel(String version) {
        return SequenceModels.writeUntrained(
                MODELS.resolve("shop").resolve(version),
                "shop",
                version,
                ItemVocabulary.of(VOCABULARY),
                MAX_LENGTH,
                8,
                2,
                1,
                Integer.parseInt(version));
    }

    /** The update the fixture job accepted. */
    public static ModelUpdate update() {
        return ModelUpdate.newBuilder()
                .setModelName("shop")
                .setModelVersion("2")
                .setLocation(MODELS.resolve("shop/2").toString())
                .setIssuedAt(Instant.parse("2026-12-02T12:00:00Z"))
                .build();
    }

    /** Click {@code j} of user {@code u}. */
    public static ClickEvent click(int u, int j) {
        ClickEvent e =
                ClickFixtures.click(
                        "u" + u, VOCABULARY.get((u * 5 + j * 3) % VOCABULARY.size()), j, List.of());
        e.setEventId("u" + u + "-" + j);
        return e;
    }

    public static Configuration config(Path model) {
        Configuration conf = PipelineRun.config(PREFIX, 2);
        conf.set(ClicksPipeline.MODEL, model.toString());
        return conf;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();
        kafka.beforeAll(null);
        try {
            Path v1 = writeModel("1");
            writeModel("2");
            Configuration conf = config(v1);
            Topics topics = PipelineRun.createTopics(kafka, new ClicksPipeline(), conf);
            String in = topics.name(Topics.CLICKS_EVENTS);
            String recs = topics.name(Topics.CLICKS_RECOMMENDATIONS);
            String updates = topics.name(Topics.MODEL_UPDATES);
            AvroCodec<ClickEvent> codec = AvroCodec.of(ClickEvent.class);
            List<String> manifest = new ArrayList<>();
            String savepoint;
            try (PipelineRun run =
                    PipelineRun.start(new ClicksPipeline(), kafka.settings(), conf, null)) {
                int sent = 0;
                for (int j = 0; j < 6; j++) {
                    if (j == 3) {
                        kafka.produce(
                                List.of(
                                        new ProducerRecord<>(
                                                updates,
                                                "shop".getBytes(StandardCharsets.UTF_8),
                                                AvroCodec.of(ModelUpdate.class).encode(update()))));
                        manifest.add(updates + " shop update shop@2");
                        Thread.sleep(3_000); // applied by then (the job logs it)
                    }
                    List<ProducerRecord<byte[], byte[]>> round = new ArrayList<>();
                    for (int u = 0; u < USERS; u++) {
                        ClickEvent e = click(u, j);
                        round.add(
                                new ProducerRecord<>(
                                        in,
                                        e.getUserId().getBytes(StandardCharsets.UTF_8),
                                        codec.encode(e)));
                        manifest.add(
                                in
                                        + " "
                                        + e.getUserId()
                                        + " "
                                        + e.getEventId()
                                        + " "
                                        + e.getItemId());
                    }
                    kafka.produce(round);
                    sent += USERS;
                    if (kafka.consume(recs, true, sent, Duration.ofSeconds(60)).size() < sent) {
                        throw new IllegalStateException("fewer than " + sent + " recommendations");
                    }
                }
                AvroCodec<Recommendation> rc = AvroCodec.of(Recommendation.class);
                String last =
                        rc.decode(
                                        kafka.consume(recs, true, sent, Duration.ofSeconds(10))
                                                .get(sent - 1)
                                                .value())
                                .getModelVersion();
                System.out.println("last recommendation by version " + last);
                savepoint = run.stopWithSavepoint(out.resolve("savepoint").toAbsolutePath());
            }
            Files.write(out.resolve("clicks.txt"), manifest);
            System.out.println("wrote " + savepoint);
        } finally {
            kafka.afterAll(null);
        }
    }
}
