package io.attnstream.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.attnstream.inference.DeviceSpec;
import io.attnstream.inference.DjlEngine;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.Topics;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code doctor}: checks this machine can run attnstream: DJL loads offline, the device resolves and computes,
 * and (with --bootstrap-servers) Kafka answers and has the topics.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the environment: DJL's PyTorch engine loads offline, the --device resolves and runs a"
                + " computation, and with --bootstrap-servers that Kafka answers and which topics exist.")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    DeviceOption deviceOption;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Configuration conf = common.configuration();
        DeviceSpec requested = deviceOption.spec(conf);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("java      %s (%s)%n", System.getProperty("java.version"), System.getProperty("java.vm.name"));
        Engine engine = DjlEngine.pytorch();
        out.printf("djl       %s, engine %s %s, offline=%s, GPUs visible: %d%n", Engine.getDjlVersion(),
                engine.getEngineName(), engine.getVersion(), System.getProperty("ai.djl.offline"), engine.getGpuCount());
        Device device = DjlEngine.device(requested);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray x = manager.arange(6f).reshape(2, 3); // (2, 3)
            float sum = x.matMul(x.transpose()).sum().getFloat(); // (2, 2) -> scalar
            out.printf(java.util.Locale.ROOT, "device    %s -> %s, test computation %s%n", requested, device, sum == 5f + 14f + 14f + 50f ? "ok" : "WRONG: " + sum);
        }
        if (common.bootstrapGiven()) {
            KafkaSettings kafka = common.kafka(conf);
            Topics topics = common.topics(conf);
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                var existing = admin.describeAll(Duration.ofSeconds(15));
                long present = topics.all().stream().filter(existing::containsKey).count();
                out.printf("kafka     %s answers; %d of %d attnstream topics exist%s%n", kafka.bootstrapServers(),
                        present, topics.all().size(), present < topics.all().size() ? " (create them: topics --create)" : "");
            }
        } else {
            out.printf("kafka     not checked (give --bootstrap-servers; default %s)%n",
                    conf.get(AttnstreamOptions.BOOTSTRAP_SERVERS));
        }
        out.flush();
        return 0;
    }
}
