package io.attnstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the demo asks the local MiniCluster's REST API (the web UI's): whether the job is ready for
 * input and how long its checkpoints take. Exactly-once output becomes visible when a checkpoint
 * completes, so the checkpoint durations are part of every latency the demo reports.
 */
final class JobProbe {
    /**
     * Checkpoint counts and end-to-end durations (trigger to last acknowledgement), as the REST API
     * sums them up.
     */
    record Checkpoints(
            long completed, long failed, long p50Millis, long p99Millis, long maxMillis) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String jobUrl;

    JobProbe(String webUi, String jobId) {
        this.jobUrl = webUi + "/jobs/" + jobId;
    }

    /**
     * Ready for input: a checkpoint has completed, so every task is running with its operators
     * opened (models loaded) and the exactly-once sinks have committed once. Input sent before that
     * waits in Kafka, and the backlog takes long to drain on a machine the pipelines keep busy.
     */
    boolean ready() throws IOException, InterruptedException {
        return ready(get("/checkpoints"));
    }

    static boolean ready(JsonNode checkpoints) {
        return checkpoints.path("counts").path("completed").asLong() > 0;
    }

    Checkpoints checkpoints() throws IOException, InterruptedException {
        return checkpoints(get("/checkpoints"));
    }

    static Checkpoints checkpoints(JsonNode c) {
        JsonNode e2e = c.path("summary").path("end_to_end_duration");
        return new Checkpoints(
                c.path("counts").path("completed").asLong(),
                c.path("counts").path("failed").asLong(),
                millis(e2e.path("p50")),
                millis(e2e.path("p99")),
                millis(e2e.path("max")));
    }

    /** The REST API writes "NaN" for percentiles of nothing; -1 here. */
    private static long millis(JsonNode n) {
        double v = n.isNumber() ? n.asDouble() : Double.NaN;
        return Double.isNaN(v) ? -1 : Math.round(v);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(jobUrl + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + jobUrl + path + ": HTTP " + r.statusCode());
        }
        return json.readTree(r.body());
    }
}
