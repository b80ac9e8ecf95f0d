package io.attnstream.platform;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every attnstream setting, declared once with its type, default and description. CLI flags map
 * onto these keys and {@code -D key=value} sets any of them (or any Flink option).
 */
public final class AttnstreamOptions {
    private AttnstreamOptions() {}

    // ---- Kafka ----
    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("attnstream.kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers (host:port,...).");
    public static final ConfigOption<Integer> TOPIC_PARTITIONS =
            ConfigOptions.key("attnstream.kafka.topic-partitions")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Partitions of topics that attnstream creates.");
    public static final ConfigOption<Integer> TOPIC_REPLICATION =
            ConfigOptions.key("attnstream.kafka.topic-replication")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Replication factor of topics that attnstream creates (1 for the"
                                    + " embedded broker, 3 on a real cluster).");
    public static final ConfigOption<String> TOPIC_PREFIX =
            ConfigOptions.key("attnstream.kafka.topic-prefix")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Prefix put before every topic name, to share a cluster between"
                                    + " environments (e.g. 'staging.').");

    // ---- Job ----
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("attnstream.job.checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval. Exactly-once output becomes visible to"
                                    + " read_committed consumers at each checkpoint, so this bounds"
                                    + " end-to-end latency from below.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("attnstream.job.transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the Kafka transactional ids of this job's exactly-once"
                                + " sinks; must be unique per job on a Kafka cluster. Defaults to"
                                + " 'attnstream-<job name>'.");
    public static final ConfigOption<String> DELIVERY_GUARANTEE =
            ConfigOptions.key("attnstream.job.delivery-guarantee")
                    .stringType()
                    .defaultValue("exactly-once")
                    .withDescription(
                            "exactly-once (transactional sinks; output visible to read_committed"
                                    + " consumers at each checkpoint) or at-least-once (visible at"
                                    + " once, duplicates possible after a failure).");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("attnstream.job.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Kafka producer transaction.timeout.ms of exactly-once sinks: longer"
                                + " than a checkpoint interval plus a restart, at most the broker's"
                                + " transaction.max.timeout.ms (15 min by default).");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            ConfigOptions.key("attnstream.job.restart-attempts")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Restarts Flink attempts before failing the job (fixed-delay strategy);"
                                + " used unless the cluster configures a restart strategy itself.");
    public static final ConfigOption<Duration> RESTART_DELAY =
            ConfigOptions.key("attnstream.job.restart-delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("Delay between restart attempts.");
    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("attnstream.job.parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Default parallelism of the job's operators; -1 uses the environment's"
                                    + " default.");
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("attnstream.job.max-out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How late an event may arrive (event time) before watermarks pass it.");
    public static final ConfigOption<Duration> SOURCE_IDLENESS =
            ConfigOptions.key("attnstream.job.source-idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A Kafka partition without records for this long stops holding back"
                                    + " watermarks.");
    public static final ConfigOption<String> START_FROM =
            ConfigOptions.key("attnstream.job.start-from")
                    .stringType()
                    .defaultValue("committed-or-earliest")
                    .withDescription(
                            "Where a job without a checkpoint starts reading:"
                                    + " committed-or-earliest, earliest or latest.");

    // ---- Inference ----
    public static final ConfigOption<String> DEVICE =
            ConfigOptions.key("attnstream.inference.device")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription(
                            "Where models run: auto (a GPU when DJL sees one, else CPU), cpu, gpu"
                                    + " (GPU 0) or gpu:N. Resolved on each TaskManager against the"
                                    + " devices it has.");

    public static final ConfigOption<String> MODELS_ROOT =
            ConfigOptions.key("attnstream.models.root")
                    .stringType()
                    .defaultValue("models")
                    .withDescription(
                            "Directory holding <name>/<version>/ model directories; --model"
                                    + " name[@version] resolves here.");

    // ---- Local execution ----
    public static final ConfigOption<Integer> WEB_UI_PORT =
            ConfigOptions.key("attnstream.local.web-ui-port")
                    .intType()
                    .defaultValue(8081)
                    .withDescription(
                            "Port of the Flink web UI of local runs (demo, run --local); 0 picks a"
                                + " free one. When the port is taken the next free one up to +20 is"
                                + " used.");
}
