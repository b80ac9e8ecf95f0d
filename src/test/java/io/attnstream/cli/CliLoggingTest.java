package io.attnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI's log configuration (attnstream-log4j2.xml), read as log4j reads it. */
class CliLoggingTest {
    private static final String CUDA_UTILS = "ai.djl.util.cuda.CudaUtils";

    private static Configuration cliConfiguration() throws Exception {
        try (InputStream in = CliLoggingTest.class.getResourceAsStream("/attnstream-log4j2.xml")) {
            Configuration c =
                    new XmlConfiguration(
                            new LoggerContext("cli-logging-test"), new ConfigurationSource(in));
            c.initialize();
            return c;
        }
    }

    /** Whether an event passes the logger's level and filters (the appender then prints it). */
    private static boolean printed(
            Configuration c, String logger, Level level, String format, Object... args) {
        LoggerConfig lc = c.getLoggerConfig(logger);
        LogEvent e =
                Log4jLogEvent.newBuilder()
                        .setLoggerName(logger)
                        .setLevel(level)
                        .setMessage(new ParameterizedMessage(format, args))
                        .build();
        return lc.getLevel().isLessSpecificThan(level)
                && (lc.getFilter() == null || lc.getFilter().filter(e) != Filter.Result.DENY);
    }

    /**
     * A cluster's log configuration in flink-conf/ as log4j reads it; its file appenders write
     * under {@code dir}.
     */
    private static Configuration clusterConfiguration(String file, Path dir) throws Exception {
        System.setProperty("log.file", dir.resolve("cluster.log").toString());
        try (InputStream in = Files.newInputStream(Path.of("flink-conf", file))) {
            Configuration c =
                    new PropertiesConfigurationFactory()
                            .getConfiguration(
                                    new LoggerContext("cluster-logging-test"),
                                    new ConfigurationSource(in));
            c.initialize();
            return c;
        } finally {
            System.clearProperty("log.file");
        }
    }

    @Test
    void djlsGpuCountWarningIsDroppedAndItsOtherWarningsStay() throws Exception {
        gpuCountWarningDroppedOtherWarningsKept(cliConfiguration());
    }

    /** The TaskManagers' log files and the containers' console drop it as the CLI does. */
    @ParameterizedTest
    @ValueSource(strings = {"log4j.properties", "log4j-console.properties"})
    void theClustersLogsDropTheGpuCountWarningToo(String file, @TempDir Path dir) throws Exception {
        gpuCountWarningDroppedOtherWarningsKept(clusterConfiguration(file, dir));
    }

    private static void gpuCountWarningDroppedOtherWarningsKept(Configuration c) {

        assertThat(c.getLoggerConfig(CUDA_UTILS).getName())
                .as("a logger of its own")
                .isEqualTo(CUDA_UTILS);
        assertThat(
                        printed(
                                c,
                                CUDA_UTILS,
                                Level.WARN,
                                "Failed to detect GPU count: {} ({})",
                                "CUDA driver version is insufficient for CUDA runtime version",
                                35))
                .isFalse();
        assertThat(
                        printed(
                                c,
                                CUDA_UTILS,
                                Level.WARN,
                                "You have a conflict version of JNA in the classpath."))
                .isTrue();
        assertThat(
                        printed(
                                c,
                                CUDA_UTILS,
                                Level.WARN,
                                "Access denied during loading cudart library."))
                .isTrue();
        assertThat(
                        printed(
                                c,
                                CUDA_UTILS,
                                Level.DEBUG,
                                "Found cudart: {}",
                                "/usr/local/cuda/lib/libcudart.so"))
                .isFalse();
    }

    @Test
    void theBrokersOffsetsTopicRaceAndFlinksShutdownHeartbeatWarningAreDropped() throws Exception {
        Configuration c = cliConfiguration();
        String topics = "kafka.server.DefaultAutoTopicCreationManager";
        assertThat(
                        printed(
                                c,
                                topics,
                                Level.WARN,
                                "Auto topic creation failed for {} with error '{}': {}",
                                "__consumer_offsets",
                                "TOPIC_ALREADY_EXISTS",
                                "Topic '__consumer_offsets' already exists."))
                .isFalse();
        assertThat(
                        printed(
                                c,
                                topics,
                                Level.WARN,
                                "Auto topic creation failed for {} with error '{}': {}",
                                "__consumer_offsets",
                                "INVALID_REPLICATION_FACTOR",
                                "Replication factor: 3 larger than available"))
                .as("its other warnings stay")
                .isTrue();
        assertThat(
                        printed(
                                c,
                                "org.apache.flink.runtime.rpc.RpcEndpoint$MainThreadExecutor",
                                Level.WARN,
                                "The scheduled executor service is shutdown and ignores the command"
                                        + " {}",
                                "heartbeat"))
                .isFalse();
    }
}
