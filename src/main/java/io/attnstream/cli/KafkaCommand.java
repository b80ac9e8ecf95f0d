package io.attnstream.cli;

import io.attnstream.platform.EmbeddedKafka;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kafka}: a single-node KRaft broker in this JVM until Ctrl-C, for trying a standalone Flink
 * cluster on one machine without a Kafka installation. Its data is deleted when it stops; it is not
 * a production broker.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description =
                "Run a single-node Kafka broker (KRaft, in this JVM, data deleted on exit) on"
                    + " localhost until Ctrl-C: the Kafka of a one-machine cluster trial. Not for"
                    + " production.")
public final class KafkaCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            defaultValue = "9092",
            description = "Client port on localhost (default: ${DEFAULT-VALUE}).")
    int port;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 1 || port > 65535) {
            throw new Main.UsageException("--port must be in 1..65535, got " + port);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(port);
        // Ctrl-C ends the JVM once the shutdown hooks are done, so the broker is closed in one, not
        // after await().
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    kafka.close();
                                    stopped.countDown();
                                },
                                "kafka-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                "Kafka broker (KRaft) ready at " + kafka.bootstrapServers() + "; Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return 0;
    }
}
