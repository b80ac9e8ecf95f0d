package io.attnstream.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.attnstream.inference.DevicePlan;
import io.attnstream.inference.DeviceSpec;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.GpuEnvironment;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code doctor}: checks this machine can run attnstream: DJL loads offline, which libtorch build
 * and NVIDIA driver it has, the device plans (every device of it computes), and (with
 * --bootstrap-servers) Kafka answers and has the topics. A GPU asked for and not visible is one
 * error line saying what was found and what to check.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description =
                "Check the environment: DJL's PyTorch engine loads offline, the --device resolves"
                    + " and runs a computation, and with --bootstrap-servers that Kafka answers and"
                    + " which topics exist.")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin DeviceOption deviceOption;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Configuration conf = common.configuration();
        DeviceSpec requested = deviceOption.spec(conf);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "java      %s (%s)%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"));
        Engine engine = DjlEngine.pytorch();
        out.printf(
                "djl       %s, engine %s %s, offline=%s, GPUs visible: %d%n",
                Engine.getDjlVersion(),
                engine.getEngineName(),
                engine.getVersion(),
                System.getProperty("ai.djl.offline"),
                engine.getGpuCount());
        GpuEnvironment gpu = GpuEnvironment.probe();
        out.printf("natives   libtorch %s build (%s)%n", gpu.build(), gpu.libtorchDir());
        out.printf(
                "driver    %s%n",
                gpu.driver()
                        .map(v -> "NVIDIA " + v)
                        .orElse(
                                "no NVIDIA driver loaded ("
                                        + GpuEnvironment.DRIVER_VERSION_FILE
                                        + " absent)"));
        out.flush(); // the facts above come before an error line below
        if (requested.kind() == DeviceSpec.Kind.GPU && DevicePlan.visibleGpus().isEmpty()) {
            throw new AttnstreamException(
                    "no GPU visible to DJL for --device " + requested + ": " + gpu.whyNoGpu());
        }
        DevicePlan plan =
                DevicePlan.forThisMachine(requested, RuntimeSettings.from(conf, "").workers());
        List<String> checks = new ArrayList<>();
        for (Device device : plan.devices()) {
            checks.add(device + " " + testComputation(device));
        }
        out.printf(
                "device    %s -> %s; test computation %s%n",
                requested, plan, String.join(", ", checks));
        if (common.bootstrapGiven()) {
            KafkaSettings kafka = common.kafka(conf);
            Topics topics = common.topics(conf);
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                var existing = admin.describeAll(Duration.ofSeconds(15));
                long present = topics.all().stream().filter(existing::containsKey).count();
                out.printf(
                        "kafka     %s answers; %d of %d attnstream topics exist%s%n",
                        kafka.bootstrapServers(),
                        present,
                        topics.all().size(),
                        present < topics.all().size() ? " (create them: topics --create)" : "");
            }
        } else {
            out.printf(
                    "kafka     not checked (give --bootstrap-servers; default %s)%n",
                    conf.get(AttnstreamOptions.BOOTSTRAP_SERVERS));
        }
        out.flush();
        return 0;
    }

    /** A 2x3 matrix times its transpose, summed: 5 + 14 + 14 + 50 on any working device. */
    private static String testComputation(Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray x = manager.arange(6f).reshape(2, 3); // (2, 3)
            float sum = x.matMul(x.transpose()).sum().getFloat(); // (2, 2) -> scalar
            return sum == 5f + 14f + 14f + 50f ? "ok" : "WRONG: " + sum;
        } catch (RuntimeException e) {
            // EngineException from CUDA: an unsupported GPU, a driver too old, out of memory
            throw new AttnstreamException(
                    "test computation on "
                            + device
                            + " failed ("
                            + Main.firstLine(e.getMessage())
                            + "); check that the driver supports libtorch's CUDA (cu128: R570 or"
                            + " newer) and the GPU's compute capability",
                    e);
        }
    }
}
