package io.attnstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.platform.AttnstreamOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo end to end, briefly: embedded broker, local MiniCluster, simulator, monitor, summary.json. */
class DemoRunnerIT {

    @Test
    void demoAccountsForEveryInputAndWritesASummary(@TempDir Path out) throws Exception {
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.WEB_UI_PORT, 0);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoRunner runner = new DemoRunner(new DemoRunner.Options(Duration.ofSeconds(10), out, 100, 0, null, conf,
                Duration.ofSeconds(2)), topics -> DemoPipelines.all(topics, 5, 50, 7L),
                new PrintStream(console, true, StandardCharsets.UTF_8));

        runner.run();

        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode traffic = s.path("pipelines").path("traffic");
        long in = traffic.path("records_in").asLong();
        long produced = s.path("topics").path("traffic.readings").path("records").asLong();
        long forecasts = traffic.path("records_out").asLong();
        long dead = s.path("dead_letters").asLong();
        assertThat(in).isEqualTo(produced).isGreaterThan(500);
        // Every input is accounted for exactly once: a committed forecast or a dead letter.
        assertThat(forecasts + dead).isEqualTo(in);
        assertThat(dead).isEqualTo(in / 50);
        JsonNode stages = s.path("topics").path("attnstream.dead-letter").path("stages");
        assertThat(stages.path("DECODE").asLong()).isPositive();
        assertThat(stages.path("VALIDATE").asLong()).isPositive();
        JsonNode latency = s.path("topics").path("traffic.forecasts").path("end_to_end_latency_ms");
        assertThat(latency.path("samples").asLong()).isEqualTo(forecasts);
        assertThat(latency.path("p50").asLong()).isPositive();
        assertThat(latency.path("p99").asLong()).isGreaterThanOrEqualTo(latency.path("p50").asLong());
        assertThat(traffic.path("model_versions").toString()).contains("last-value@1");
        assertThat(s.path("first_output_after_seconds").asDouble()).isPositive();
        assertThat(s.path("kafka").path("embedded").asBoolean()).isTrue();

        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("traffic  in").contains("| out").contains("latency p50").contains("Summary:");
    }
}
