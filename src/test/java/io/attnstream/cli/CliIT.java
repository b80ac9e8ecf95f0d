package io.attnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.ModelUpdate;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Kafka-facing commands against the in-process broker. */
class CliIT {
    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void topicsCreateMakesEveryTopicWithTheRequestedPartitions() {
        Result r =
                run(
                        "topics",
                        "--create",
                        "--partitions",
                        "3",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "-D",
                        "attnstream.kafka.topic-prefix=cli.");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("created 11 topic(s)");
        assertThat(r.out()).containsPattern("cli\\.traffic\\.readings\\s+3 partition\\(s\\)");
        assertThat(r.out()).containsPattern("cli\\.attnstream\\.dead-letter\\s+3 partition\\(s\\)");

        Result again =
                run(
                        "topics",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "-D",
                        "attnstream.kafka.topic-prefix=cli.");
        assertThat(again.out()).doesNotContain("missing").doesNotContain("created");
    }

    @Test
    void produceReplayWritesEveryCellOfTheFile(@TempDir Path dir) throws Exception {
        KAFKA.createTopics(2, "replay.traffic.readings");
        Path csv =
                Files.writeString(
                        dir.resolve("s.csv"),
                        "a,b,c\n1,2,3\n4,5,6\n7,8,9\n",
                        StandardCharsets.UTF_8);
        Result r =
                run(
                        "produce",
                        "traffic",
                        "--replay",
                        csv.toString(),
                        "--speedup",
                        "0",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "-D",
                        "attnstream.kafka.topic-prefix=replay.");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("produced 9 traffic record(s) to replay.traffic.readings");

        var records = KAFKA.consume("replay.traffic.readings", true, 9, Duration.ofSeconds(20));
        AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);
        float sum = 0;
        for (var rec : records) {
            sum += codec.decode(rec.value()).getSpeedMph();
        }
        assertThat(records).hasSize(9);
        assertThat(sum).isEqualTo(45f);
    }

    @Test
    void produceSimulatorPacesStepsBySpeedupAndStopsAfterItsDuration() {
        KAFKA.createTopics(1, "sim.traffic.readings");
        // 5-min steps at 3000x: a step of 4 sensors every 0.1 s, so ~80 readings in 2 s (the
        // simulator drops ~1 %)
        Result r =
                run(
                        "produce",
                        "traffic",
                        "--duration",
                        "2",
                        "--speedup",
                        "3000",
                        "--sensors",
                        "4",
                        "--invalid-rate",
                        "0.1",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "-D",
                        "attnstream.kafka.topic-prefix=sim.");
        assertThat(r.exit()).as(r.err()).isZero();
        long n = Long.parseLong(r.out().split(" ")[1]);
        assertThat(n).isBetween(60L, 90L);
        assertThat(r.out()).contains("injected faults: {").contains("invalid_nan_speed=");
        assertThat(KAFKA.consume("sim.traffic.readings", true, (int) n, Duration.ofSeconds(20)))
                .hasSize((int) n);
    }

    @Test
    void produceClicksSimulatesAtItsRateWithInjectedDuplicates() {
        KAFKA.createTopics(1, "csim.clicks.events");
        Result r =
                run(
                        "produce",
                        "clicks",
                        "--duration",
                        "2",
                        "--rate",
                        "100",
                        "--users",
                        "50",
                        "--items",
                        "200",
                        "--categories",
                        "5",
                        "--duplicate-rate",
                        "0.05",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "-D",
                        "attnstream.kafka.topic-prefix=csim.");
        assertThat(r.exit()).as(r.err()).isZero();
        long n = Long.parseLong(r.out().split(" ")[1]);
        assertThat(n).isBetween(150L, 230L); // 100/s for 2 s, plus the re-sent duplicates
        assertThat(r.out()).contains("injected faults: {").contains("duplicate=");
        assertThat(KAFKA.consume("csim.clicks.events", true, (int) n, Duration.ofSeconds(20)))
                .hasSize((int) n);
    }

    @Test
    void publishModelWritesAnUpdateWithTheModelsVersionAndChecksum(@TempDir Path root)
            throws Exception {
        KAFKA.createTopics(1, "pub.attnstream.model-updates");
        Path dir =
                SequenceModels.writeUntrained(root.resolve("seq/4"), "seq", "4", 20, 5, 8, 2, 1, 1);
        Result r =
                run(
                        "publish-model",
                        "--model",
                        "seq@4",
                        "--issued-by",
                        "ci",
                        "-D",
                        "attnstream.models.root=" + root,
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "-D",
                        "attnstream.kafka.topic-prefix=pub.");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("published seq@4");

        var records =
                KAFKA.consume("pub.attnstream.model-updates", true, 1, Duration.ofSeconds(20));
        assertThat(records).hasSize(1);
        var u = AvroCodec.of(ModelUpdate.class).decode(records.get(0).value());
        assertThat(u.getModelName()).isEqualTo("seq");
        assertThat(u.getModelVersion()).isEqualTo("4");
        assertThat(u.getLocation()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(u.getSha256()).isEqualTo(ModelStore.sha256(dir.resolve("seq-0000.params")));
        assertThat(u.getIssuedBy()).isEqualTo("ci");
    }

    @Test
    void unreachableKafkaIsOneLineAndExitOne() {
        Result r =
                run(
                        "topics",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--kafka-property",
                        "default.api.timeout.ms=3000",
                        "--kafka-property",
                        "request.timeout.ms=2000");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("attnstream: ");
    }
}
