package io.attnstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attnstream.bench.SequenceBenchmark;
import io.attnstream.bench.TrafficBenchmark;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.inference.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code bench <model>}: how fast the batching runtime is, raw and inside a Flink job. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "sequence: benchmark the batching runtime: (a) raw Predictor loop, (b) the Flink job Kafka->Kafka"
                + " with batching, (c) the same job per record, latency at half of (b)'s peak, optionally a memory soak."
                + " traffic: readings/s the traffic job sustains for one network, and the time from an interval's"
                + " watermark to its forecasts on Kafka. Without --model an untrained stand-in of the given shape.")
public final class BenchCommand implements Callable<Integer> {
    public enum Model { sequence, traffic }

    @Parameters(index = "0", paramLabel = "MODEL", description = "What to benchmark: ${COMPLETION-CANDIDATES}.")
    Model model;

    @Option(names = "--model", paramLabel = "REF", description = "A trained model (directory or name[@version] under attnstream.models.root) instead of the stand-in.")
    String modelRef;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Option(names = "--records", defaultValue = "40000", description = "Clicks per throughput job (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--users", defaultValue = "5000", description = "Distinct users in the generated clicks (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seconds-per-batch-size", defaultValue = "4", description = "Duration of each raw-loop measurement (default: ${DEFAULT-VALUE}).")
    double secondsPerBatchSize;

    @Option(names = "--batch-sizes", defaultValue = "1,8,16,32,64,128", split = ",", description = "Batch sizes of the raw loop (default: ${DEFAULT-VALUE}).")
    int[] batchSizes;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "Duration of the latency phase (default: ${DEFAULT-VALUE}).")
    double latencySeconds;

    @Option(names = "--soak-minutes", defaultValue = "0", description = "Also score continuously this long and report RSS (default: ${DEFAULT-VALUE}).")
    double soakMinutes;

    @Option(names = "--raw-only", description = "Only the raw loop (and the soak, if asked for).")
    boolean rawOnly;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the Flink jobs (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--vocabulary", defaultValue = "10000", description = "Stand-in: items V (default: ${DEFAULT-VALUE}).")
    int vocabulary;

    @Option(names = "--max-length", defaultValue = "50", description = "Stand-in: history length T (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--model-size", defaultValue = "64", description = "Stand-in: model size D (default: ${DEFAULT-VALUE}).")
    int modelSize;

    @Option(names = "--heads", defaultValue = "2", description = "Stand-in: attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--layers", defaultValue = "2", description = "Stand-in: attention layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--sensors", defaultValue = "207", description = "traffic stand-in: sensors of the network (default: ${DEFAULT-VALUE}, as Los-loop).")
    int sensors;

    @Option(names = "--intervals", defaultValue = "400", description = "traffic: intervals of readings in the throughput backlog (default: ${DEFAULT-VALUE}).")
    int intervals;

    @Option(names = "--seconds-per-interval", defaultValue = "0.5", description = "traffic latency phase: wall seconds between intervals (default: ${DEFAULT-VALUE}).")
    double secondsPerInterval;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || users < 1 || secondsPerBatchSize <= 0 || latencySeconds <= 0 || soakMinutes < 0
                || parallelism < 1 || Arrays.stream(batchSizes).anyMatch(b -> b < 1)) {
            throw new Main.UsageException("--records, --users, --parallelism and batch sizes must be >= 1; durations > 0");
        }
        var conf = common.configuration();
        Path dir = modelRef == null ? null : new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT))).resolve(modelRef);
        if (model == Model.traffic) {
            if (sensors < 2 || intervals < 20 || secondsPerInterval <= 0) {
                throw new Main.UsageException("--sensors must be >= 2, --intervals >= 20, --seconds-per-interval > 0");
            }
            write(new TrafficBenchmark(new TrafficBenchmark.Options(sensors, intervals, secondsPerInterval, latencySeconds,
                    dir, parallelism, conf, common.kafkaOr("unused:0").properties()), System.out).run());
            return 0;
        }
        var report = new SequenceBenchmark(new SequenceBenchmark.Options(records, users, secondsPerBatchSize,
                latencySeconds, soakMinutes, vocabulary, maxLength, modelSize, heads, layers, dir, parallelism,
                batchSizes, !rawOnly, conf, common.kafkaOr("unused:0").properties()), System.out).run();
        write(report);
        return 0;
    }

    private void write(java.util.Map<String, Object> report) throws java.io.IOException {
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            System.out.println("report: " + json.toAbsolutePath());
        }
    }
}
