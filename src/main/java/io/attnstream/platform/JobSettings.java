package io.attnstream.platform;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ReadableConfig;

/** The job-level settings of one pipeline run, read once from the configuration. */
public record JobSettings(
        String jobName,
        Duration checkpointInterval,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        int restartAttempts,
        Duration restartDelay,
        int parallelism,
        Duration maxOutOfOrderness,
        Duration sourceIdleness,
        String startFrom,
        int webUiPort,
        boolean exactlyOnce)
        implements Serializable {

    public JobSettings {
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new AttnstreamException(
                    "checkpoint interval must be positive, got " + checkpointInterval);
        }
        if (transactionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new AttnstreamException(
                    "transaction timeout "
                            + transactionTimeout
                            + " exceeds Kafka's default transaction.max.timeout.ms (15 min)");
        }
        if (!startFrom.equals("committed-or-earliest")
                && !startFrom.equals("earliest")
                && !startFrom.equals("latest")) {
            throw new AttnstreamException(
                    "start-from must be committed-or-earliest, earliest or latest, got '"
                            + startFrom
                            + "'");
        }
    }

    public static JobSettings from(String jobName, ReadableConfig config) {
        String prefix =
                config.getOptional(AttnstreamOptions.TRANSACTIONAL_ID_PREFIX)
                        .orElse("attnstream-" + jobName);
        return new JobSettings(
                jobName,
                config.get(AttnstreamOptions.CHECKPOINT_INTERVAL),
                prefix,
                config.get(AttnstreamOptions.TRANSACTION_TIMEOUT),
                config.get(AttnstreamOptions.RESTART_ATTEMPTS),
                config.get(AttnstreamOptions.RESTART_DELAY),
                config.get(AttnstreamOptions.PARALLELISM),
                config.get(AttnstreamOptions.MAX_OUT_OF_ORDERNESS),
                config.get(AttnstreamOptions.SOURCE_IDLENESS),
                config.get(AttnstreamOptions.START_FROM),
                config.get(AttnstreamOptions.WEB_UI_PORT),
                deliveryGuarantee(config.get(AttnstreamOptions.DELIVERY_GUARANTEE)));
    }

    private static boolean deliveryGuarantee(String text) {
        return switch (text) {
            case "exactly-once" -> true;
            case "at-least-once" -> false;
            default ->
                    throw new AttnstreamException(
                            "delivery guarantee must be exactly-once or at-least-once, got '"
                                    + text
                                    + "'");
        };
    }
}
