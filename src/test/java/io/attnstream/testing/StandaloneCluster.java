package io.attnstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real standalone Flink cluster (JobManager and TaskManagers as separate JVMs) driven through the
 * repository's {@code src/main/scripts/flink-cluster.sh}, as an operator would drive it, plus the
 * REST reads a test needs. Needs {@code mvn package} to have run (the ITs run after it): the job
 * jar and target/flink-dist.classpath.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Path SCRIPT = Path.of("src/main/scripts/flink-cluster.sh");
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private final Path workDir;
    private final int restPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private StandaloneCluster(Path workDir, int restPort) {
        this.workDir = workDir;
        this.restPort = restPort;
    }

    /**
     * Starts a JobManager and one TaskManager with the repository's flink-conf plus these -D
     * options.
     */
    public static StandaloneCluster start(Path workDir, List<String> options)
            throws IOException, InterruptedException {
        int restPort = freePort();
        StandaloneCluster cluster = new StandaloneCluster(workDir, restPort);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "start",
                                "-D",
                                "rest.port=" + restPort,
                                "-D",
                                "jobmanager.rpc.port=" + freePort()));
        options.forEach(
                o -> {
                    args.add("-D");
                    args.add(o);
                });
        cluster.script(Duration.ofMinutes(3), args);
        return cluster;
    }

    public void startTaskManager() throws IOException, InterruptedException {
        script(Duration.ofMinutes(2), List.of("start-taskmanager"));
    }

    /** {@code kill -9} of the newest TaskManager: the machine dies, nothing is shut down. */
    public void killTaskManager() throws IOException, InterruptedException {
        script(Duration.ofSeconds(30), List.of("kill-taskmanager"));
    }

    /**
     * {@code flink run -d} of the job jar with these flink-run options and attnstream arguments;
     * the job id.
     */
    public String submit(List<String> runOptions, List<String> attnstreamArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("submit"));
        args.addAll(runOptions);
        args.add("--");
        args.addAll(attnstreamArgs);
        String out = script(Duration.ofMinutes(2), args);
        Matcher m = JOB_ID.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no job id in the client's output:\n" + out);
        }
        return m.group(1);
    }

    /**
     * {@code flink stop --savepointPath dir job}: stops the job with a savepoint and returns its
     * path.
     */
    public String stopWithSavepoint(String jobId, Path dir)
            throws IOException, InterruptedException {
        String out =
                script(
                        Duration.ofMinutes(2),
                        List.of("flink", "stop", "--savepointPath", dir.toUri().toString(), jobId));
        Matcher m = SAVEPOINT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no savepoint path in the client's output:\n" + out);
        }
        return m.group(1);
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        script(Duration.ofMinutes(1), List.of("flink", "cancel", jobId));
    }

    public JsonNode job(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId);
    }

    /** Whether the job and every one of its vertices are RUNNING. */
    public boolean fullyRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = job(jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!"RUNNING".equals(v.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    public long restarts(String jobId) throws IOException, InterruptedException {
        for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return Long.parseLong(m.path("value").asText("0"));
        }
        return 0;
    }

    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** Until the job has completed a first checkpoint (60 s at most). */
    public void awaitCheckpoint(String jobId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (completedCheckpoints(jobId) < 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no first checkpoint within 60 s\n" + diagnosis(jobId));
            }
            Thread.sleep(200);
        }
    }

    /**
     * Until the job has restarted once more than {@code restartsBefore} and every task runs again
     * (120 s at most; then an error with the {@link #diagnosis}).
     */
    public void awaitRecovery(String jobId, long restartsBefore)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!(restarts(jobId) > restartsBefore && fullyRunning(jobId))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no recovery within 120 s (restarts before the kill "
                                + restartsBefore
                                + ", now "
                                + restarts(jobId)
                                + ")\n"
                                + diagnosis(jobId));
            }
            Thread.sleep(200);
        }
    }

    /**
     * What an operator looks at when a job does not come back: its state and its vertices' states,
     * the TaskManagers the cluster knows with their free slots, and the newest entries of the
     * exception history.
     */
    public String diagnosis(String jobId) {
        StringBuilder out = new StringBuilder();
        try {
            JsonNode job = job(jobId);
            out.append("job ").append(job.path("state").asText()).append('\n');
            job.path("vertices")
                    .forEach(
                            v ->
                                    out.append("  ")
                                            .append(v.path("status").asText())
                                            .append(' ')
                                            .append(v.path("name").asText())
                                            .append('\n'));
            get("/taskmanagers")
                    .path("taskmanagers")
                    .forEach(
                            tm ->
                                    out.append("taskmanager ")
                                            .append(tm.path("id").asText())
                                            .append(" slots ")
                                            .append(tm.path("freeSlots").asInt())
                                            .append('/')
                                            .append(tm.path("slotsNumber").asInt())
                                            .append(" last heartbeat at ")
                                            // Despite its name, an epoch-millisecond timestamp.
                                            .append(
                                                    Instant.ofEpochMilli(
                                                            tm.path("timeSinceLastHeartbeat")
                                                                    .asLong()))
                                            .append('\n'));
            int n = 0;
            for (JsonNode e :
                    get("/jobs/" + jobId + "/exceptions?maxExceptions=5")
                            .path("exceptionHistory")
                            .path("entries")) {
                String trace = e.path("stacktrace").asText();
                out.append("exception at ")
                        .append(Instant.ofEpochMilli(e.path("timestamp").asLong()))
                        .append(" in ")
                        .append(
                                e.path("taskName").isTextual()
                                        ? e.path("taskName").asText()
                                        : "(job)")
                        .append(": ")
                        .append(trace, 0, Math.min(trace.length(), 1_500))
                        .append('\n');
                if (++n == 5) {
                    break;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            out.append("(REST read failed: ").append(e).append(")\n");
        }
        return out.toString();
    }

    /**
     * Copies the processes' logs (a killed TaskManager's included) to {@code dir}, for a test that
     * failed.
     */
    public void keepLogs(Path dir) {
        Path logs = workDir.resolve("log");
        try (var files = Files.list(logs)) {
            Files.createDirectories(dir);
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not keep the cluster's logs from " + logs + ": " + e);
        }
    }

    public List<String> vertexNames(String jobId) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        job(jobId).path("vertices").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script(Duration.ofMinutes(2), List.of("stop"));
    }

    /**
     * Runs the script with this work directory; its combined output, or an exception carrying it.
     */
    private String script(Duration timeout, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ATTNSTREAM_CLUSTER_DIR", workDir.toString());
        pb.environment().remove("FLINK_CONF_DIR");
        Path log = Files.createTempFile(workDir.getParent(), "script-", ".out");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (!done || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "flink-cluster.sh "
                            + String.join(" ", args)
                            + (done ? " exited " + p.exitValue() : " timed out")
                            + ":\n"
                            + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
