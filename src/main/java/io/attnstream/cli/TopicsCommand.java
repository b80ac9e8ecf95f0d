package io.attnstream.cli;

import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code topics}: lists attnstream's topics on a cluster, or creates the missing ones. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description =
                "List attnstream's topics and their partitions; with --create, create the missing"
                        + " ones.")
public final class TopicsCommand implements Callable<Integer> {
    @Option(
            names = "--create",
            description = "Create every attnstream topic that does not exist yet.")
    boolean create;

    @Option(
            names = "--partitions",
            description =
                    "Partitions of created topics (default: attnstream.kafka.topic-partitions ="
                            + " 2).")
    Integer partitions;

    @Option(
            names = "--replication",
            description = "Replication factor of created topics (default: 1).")
    Integer replication;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Configuration conf = common.configuration();
        KafkaSettings kafka = common.kafka(conf);
        Topics topics = common.topics(conf);
        int p = partitions != null ? partitions : conf.get(AttnstreamOptions.TOPIC_PARTITIONS);
        int r = replication != null ? replication : conf.get(AttnstreamOptions.TOPIC_REPLICATION);
        if (p < 1 || r < 1) {
            throw new Main.UsageException("--partitions and --replication must be >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            if (create) {
                var created =
                        admin.ensureTopics(topics.all(), p, (short) r, Duration.ofSeconds(60));
                out.println(
                        "created "
                                + created.size()
                                + " topic(s)"
                                + (created.isEmpty() ? "" : ": " + String.join(", ", created)));
            }
            var existing = admin.describeAll(Duration.ofSeconds(30));
            for (String name : topics.all()) {
                Integer parts = existing.get(name);
                out.printf("%-32s %s%n", name, parts == null ? "missing" : parts + " partition(s)");
            }
        }
        out.flush();
        return 0;
    }
}
