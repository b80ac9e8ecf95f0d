package io.attnstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attnstream.bench.BenchCluster;
import io.attnstream.bench.SequenceBenchmark;
import io.attnstream.bench.TrafficBenchmark;
import io.attnstream.bench.VideoBenchmark;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.schema.FrameEncoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench <model>}: how fast the batching runtime is, raw and inside a Flink job. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "sequence: benchmark the batching runtime: (skeleton) the clicks job's shape"
                    + " without inference, (b-null) the clicks job with a null model, (a) raw"
                    + " Predictor loop, (b) the Flink job Kafka->Kafka with batching, (c) the same"
                    + " job per record, latency at half of (b)'s peak, optionally a memory soak;"
                    + " CPU us and context switches per record by thread group for each. traffic:"
                    + " readings/s the traffic job sustains for one network, and the time from an"
                    + " interval's watermark to its forecasts on Kafka. video: frames/s of (a) raw"
                    + " Predictor loops on decoded frames at the model's input size, (b) the video"
                    + " job Kafka->Kafka on a backlog of encoded frames, their ratio, and (c)"
                    + " end-to-end latency at half of (b)'s rate. Without --model an untrained"
                    + " stand-in of the given shape (video: 240x176 input, default widths).")
public final class BenchCommand implements Callable<Integer> {
    public enum Model {
        sequence,
        traffic,
        video
    }

    private static final int[] VIDEO_BATCH_SIZES = {1, 2, 4, 8};
    private static final Pattern FRAME_SIZE = Pattern.compile("(\\d{1,4})x(\\d{1,4})");

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "What to benchmark: ${COMPLETION-CANDIDATES}.")
    Model model;

    @Option(
            names = "--model",
            paramLabel = "REF",
            description =
                    "A trained model (directory or name[@version] under attnstream.models.root)"
                            + " instead of the stand-in.")
    String modelRef;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Option(
            names = "--records",
            defaultValue = "40000",
            description =
                    "Clicks per throughput job, at least; a fast job gets enough for ~10 s at the"
                            + " rate its warm-up run showed (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(
            names = "--warm-up-records",
            defaultValue = "" + SequenceBenchmark.Options.DEFAULT_WARM_UP_RECORDS,
            description =
                    "sequence: clicks in each untimed warm-up run, one of the skeleton and one of"
                            + " the null-model job, before the measured phases (default:"
                            + " ${DEFAULT-VALUE}).")
    int warmUpRecords;

    @Option(
            names = "--users",
            defaultValue = "5000",
            description = "Distinct users in the generated clicks (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
            names = "--seconds-per-batch-size",
            defaultValue = "4",
            description = "Duration of each raw-loop measurement (default: ${DEFAULT-VALUE}).")
    double secondsPerBatchSize;

    @Option(
            names = "--batch-sizes",
            split = ",",
            description =
                    "Batch sizes of the raw loop (default: 1,8,16,32,64,128, on GPU up to 1024;"
                            + " video: 1,2,4,8).")
    int[] batchSizes;

    @Option(
            names = "--latency-seconds",
            defaultValue = "20",
            description = "Duration of the latency phase (default: ${DEFAULT-VALUE}).")
    double latencySeconds;

    @Option(
            names = "--soak-minutes",
            defaultValue = "0",
            description =
                    "Also score continuously this long and report RSS (default: ${DEFAULT-VALUE}).")
    double soakMinutes;

    @Option(names = "--raw-only", description = "Only the raw loop (and the soak, if asked for).")
    boolean rawOnly;

    @Option(
            names = "--null-model",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "sequence: also run (skeleton), the clicks job's shape in Flink's own operators"
                        + " without inference, and (b-null), the clicks job with a null model"
                        + " (constant outputs of the model's shapes), next to each other (default:"
                        + " on; --no-null-model skips them).")
    boolean nullModel;

    @Option(
            names = "--profile",
            paramLabel = "DIR",
            description =
                    "Sample CPU with async-profiler during each Flink phase's measurement window:"
                        + " collapsed stacks and a flame graph per phase in DIR, top frames on the"
                        + " console.")
    Path profile;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of the Flink jobs (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--vocabulary",
            defaultValue = "10000",
            description = "Stand-in: items V (default: ${DEFAULT-VALUE}).")
    int vocabulary;

    @Option(
            names = "--max-length",
            defaultValue = "50",
            description = "Stand-in: history length T (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(
            names = "--model-size",
            defaultValue = "64",
            description = "Stand-in: model size D (default: ${DEFAULT-VALUE}).")
    int modelSize;

    @Option(
            names = "--heads",
            defaultValue = "2",
            description = "Stand-in: attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(
            names = "--layers",
            defaultValue = "2",
            description = "Stand-in: attention layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(
            names = "--sensors",
            defaultValue = "207",
            description =
                    "traffic stand-in: sensors of the network (default: ${DEFAULT-VALUE}, as"
                            + " Los-loop).")
    int sensors;

    @Option(
            names = "--intervals",
            defaultValue = "1200",
            description =
                    "traffic: intervals of readings in the throughput backlog (default:"
                        + " ${DEFAULT-VALUE}; with 400 the JIT compiler is still busy in the steady"
                        + " window).")
    int intervals;

    @Option(
            names = "--seconds-per-interval",
            defaultValue = "0.5",
            description =
                    "traffic latency phase: wall seconds between intervals (default:"
                            + " ${DEFAULT-VALUE}).")
    double secondsPerInterval;

    @Option(
            names = "--frames",
            defaultValue = "600",
            description = "video: frames in the throughput backlog (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--cameras",
            defaultValue = "8",
            description = "video: cameras the frames come from (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--frame-size",
            defaultValue = "480x360",
            paramLabel = "WxH",
            description =
                    "video: size of the generated frames (default: ${DEFAULT-VALUE}, CamVid's test"
                            + " size).")
    String frameSize;

    @Option(
            names = "--encoding",
            defaultValue = "JPEG",
            description = "video: encoding of the frames, JPEG or PNG (default: ${DEFAULT-VALUE}).")
    FrameEncoding encoding;

    @Option(
            names = "--distinct-frames",
            defaultValue = "16",
            description =
                    "video: distinct pictures rendered per camera, which the feeds cycle through"
                            + " (default: ${DEFAULT-VALUE}).")
    int distinctFrames;

    @Option(
            names = "--warm-up-seconds",
            defaultValue = "5",
            description =
                    "video latency phase: first seconds produced but not counted (default:"
                            + " ${DEFAULT-VALUE}).")
    double warmUpSeconds;

    @Mixin DeviceOption deviceOption;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (batchSizes == null && model == Model.video) {
            batchSizes = VIDEO_BATCH_SIZES;
        }
        // sequence: null until the device is planned (SequenceBenchmark's defaults for CPU and GPU)
        if (records < 1
                || users < 1
                || warmUpRecords < 1
                || secondsPerBatchSize <= 0
                || latencySeconds <= 0
                || soakMinutes < 0
                || parallelism < 1
                || (batchSizes != null
                        && (batchSizes.length == 0
                                || Arrays.stream(batchSizes).anyMatch(b -> b < 1)))) {
            throw new Main.UsageException(
                    "--records, --warm-up-records, --users, --parallelism and batch sizes must be"
                            + " >= 1; durations > 0");
        }
        var conf = common.configuration();
        if (model != Model.sequence && deviceOption.given()) {
            throw new Main.UsageException(
                    "--device is for bench sequence; bench traffic and video run on the CPU");
        }
        deviceOption.applyTo(conf);
        Path dir =
                modelRef == null
                        ? null
                        : new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)))
                                .resolve(modelRef);
        if (rawOnly) {
            return run(dir, conf);
        }
        // Every phase's job on one cluster, started once (see BenchCluster for what a cluster per
        // job cost).
        try (BenchCluster cluster = BenchCluster.start(conf, parallelism)) {
            return run(dir, conf);
        }
    }

    private int run(Path dir, Configuration conf) throws Exception {
        if (model == Model.traffic) {
            if (sensors < 2 || intervals < 20 || secondsPerInterval <= 0) {
                throw new Main.UsageException(
                        "--sensors must be >= 2, --intervals >= 20, --seconds-per-interval > 0");
            }
            write(
                    new TrafficBenchmark(
                                    new TrafficBenchmark.Options(
                                            sensors,
                                            intervals,
                                            secondsPerInterval,
                                            latencySeconds,
                                            dir,
                                            parallelism,
                                            conf,
                                            common.kafkaOr("unused:0").properties(),
                                            profile),
                                    System.out)
                            .run());
            return 0;
        }
        if (model == Model.video) {
            write(video(dir, conf));
            return 0;
        }
        var report =
                new SequenceBenchmark(
                                new SequenceBenchmark.Options(
                                        records,
                                        users,
                                        secondsPerBatchSize,
                                        latencySeconds,
                                        soakMinutes,
                                        vocabulary,
                                        maxLength,
                                        modelSize,
                                        heads,
                                        layers,
                                        dir,
                                        parallelism,
                                        batchSizes,
                                        !rawOnly,
                                        conf,
                                        common.kafkaOr("unused:0").properties(),
                                        nullModel,
                                        profile,
                                        warmUpRecords),
                                System.out)
                        .run();
        write(report);
        return 0;
    }

    private Map<String, Object> video(Path dir, Configuration conf) throws Exception {
        Matcher size = FRAME_SIZE.matcher(frameSize.trim());
        if (!size.matches()) {
            throw new Main.UsageException(
                    "--frame-size must be WxH, e.g. 480x360, got '" + frameSize + "'");
        }
        int width = Integer.parseInt(size.group(1));
        int height = Integer.parseInt(size.group(2));
        if (frames < 1
                || cameras < 1
                || distinctFrames < 1
                || warmUpSeconds < 0
                || width < 8
                || height < 8
                || width > 4096
                || height > 4096
                || encoding == FrameEncoding.RGB8) {
            throw new Main.UsageException(
                    "--frames, --cameras and --distinct-frames must be >= 1, --warm-up-seconds"
                            + " >= 0, --frame-size sides in 8..4096, --encoding JPEG or PNG");
        }
        return new VideoBenchmark(
                        new VideoBenchmark.Options(
                                frames,
                                cameras,
                                width,
                                height,
                                encoding,
                                distinctFrames,
                                secondsPerBatchSize,
                                batchSizes,
                                latencySeconds,
                                warmUpSeconds,
                                dir,
                                parallelism,
                                !rawOnly,
                                conf,
                                common.kafkaOr("unused:0").properties(),
                                profile),
                        System.out)
                .run();
    }

    private void write(Map<String, Object> report) throws IOException {
        if (json != null) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(json.toFile(), report);
            System.out.println("report: " + json.toAbsolutePath());
        }
    }
}
