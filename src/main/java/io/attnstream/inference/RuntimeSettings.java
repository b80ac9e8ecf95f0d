package io.attnstream.inference;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AttnstreamOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How a model's batching runtime runs. Each setting has a default for every model ({@code
 * attnstream.inference.<setting>}) that a model can override ({@code
 * attnstream.inference.<model>.<setting>}).
 */
public record RuntimeSettings(
        int maxBatchSize,
        Duration maxWait,
        int workers,
        DeviceSpec device,
        Duration timeout,
        int asyncCapacity,
        int intraOpThreads,
        Operator operator)
        implements Serializable {

    /** How a job hands its records to the runtime. */
    public enum Operator {
        /**
         * {@link BatchingInferenceOperator}: micro-batches, one runtime call and one mailbox action
         * each.
         */
        BATCHING,
        /**
         * Flink's async I/O operator with {@link AsyncInferenceFunction}: one call, future and mail
         * per record.
         */
        ASYNC
    }

    public static final ConfigOption<Operator> OPERATOR =
            ConfigOptions.key("attnstream.inference.operator")
                    .enumType(Operator.class)
                    .defaultValue(Operator.BATCHING)
                    .withDescription(
                            "BATCHING (micro-batches per subtask, results emitted per batch) or"
                                + " ASYNC (Flink's async I/O operator, one call per record: several"
                                + " times the CPU per record, kept for comparison).");

    public static final ConfigOption<Integer> MAX_BATCH_SIZE =
            ConfigOptions.key("attnstream.inference.max-batch-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "A batch closes when it holds this many requests (or at max-wait).");
    public static final ConfigOption<Duration> MAX_WAIT =
            ConfigOptions.key("attnstream.inference.max-wait")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription(
                            "A batch closes at the latest this long after its first request"
                                    + " arrived.");
    public static final ConfigOption<Integer> WORKERS =
            ConfigOptions.key("attnstream.inference.workers")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Inference threads on CPU, each with its own Predictor (on GPU: one per"
                                + " device). With intra-op-threads 1, one worker per core the model"
                                + " may use.");
    public static final ConfigOption<Integer> INTRA_OP_THREADS =
            ConfigOptions.key("attnstream.inference.intra-op-threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "PyTorch threads inside one forward pass (JVM-wide, fixed when DJL"
                                + " first loads). 1 with several workers beats one multi-threaded"
                                + " worker next to Flink's own threads: OpenMP threads spin-wait"
                                + " and stall when Flink takes the core (measured: 3.4k vs 2.9k"
                                + " records/s).");
    public static final ConfigOption<Duration> TIMEOUT =
            ConfigOptions.key("attnstream.inference.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A request without a result after this long becomes a TIMEOUT dead"
                                    + " letter.");
    public static final ConfigOption<Integer> ASYNC_CAPACITY =
            ConfigOptions.key("attnstream.inference.async-capacity")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Records buffered or in flight per subtask of the inference operator"
                                    + " (checkpointed); when that many are, the subtask waits for"
                                    + " results (back-pressure).");

    /** The settings without the operator choice, with the batching operator. */
    public RuntimeSettings(
            int maxBatchSize,
            Duration maxWait,
            int workers,
            DeviceSpec device,
            Duration timeout,
            int asyncCapacity,
            int intraOpThreads) {
        this(
                maxBatchSize,
                maxWait,
                workers,
                device,
                timeout,
                asyncCapacity,
                intraOpThreads,
                Operator.BATCHING);
    }

    public RuntimeSettings {
        if (maxBatchSize < 1 || workers < 1 || asyncCapacity < 1 || intraOpThreads < 1) {
            throw new AttnstreamException(
                    "max-batch-size, workers, async-capacity and intra-op-threads must be >= 1");
        }
        if (maxWait.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new AttnstreamException("max-wait must be >= 0 and timeout > 0");
        }
    }

    public static RuntimeSettings from(ReadableConfig config, String model) {
        return new RuntimeSettings(
                get(config, MAX_BATCH_SIZE, model),
                get(config, MAX_WAIT, model),
                get(config, WORKERS, model),
                DeviceSpec.parse(config.get(AttnstreamOptions.DEVICE)),
                get(config, TIMEOUT, model),
                get(config, ASYNC_CAPACITY, model),
                config.get(INTRA_OP_THREADS),
                config.get(OPERATOR));
    }

    /**
     * As {@link #from(ReadableConfig, String)}, with a model family's own default max-batch-size
     * where the configuration sets neither the general nor the per-model key (a traffic request is
     * a whole network, a clicks request one user: the good cap differs).
     */
    public static RuntimeSettings from(
            ReadableConfig config, String model, int familyMaxBatchSize) {
        RuntimeSettings s = from(config, model);
        return configured(config, MAX_BATCH_SIZE, model)
                ? s
                : s.withBatching(familyMaxBatchSize, s.maxWait());
    }

    /**
     * As {@link #from(ReadableConfig, String, int)}, also with the family's own async capacity
     * where neither key sets one: a family whose requests take tens of milliseconds (video frames)
     * must not keep hundreds in flight, which would outlast the timeout.
     */
    public static RuntimeSettings from(
            ReadableConfig config, String model, int familyMaxBatchSize, int familyAsyncCapacity) {
        RuntimeSettings s = from(config, model, familyMaxBatchSize);
        return configured(config, ASYNC_CAPACITY, model)
                ? s
                : new RuntimeSettings(
                        s.maxBatchSize,
                        s.maxWait,
                        s.workers,
                        s.device,
                        s.timeout,
                        familyAsyncCapacity,
                        s.intraOpThreads,
                        s.operator);
    }

    /** Whether the general or the per-model key of the option is set. */
    private static boolean configured(
            ReadableConfig config, ConfigOption<Integer> option, String model) {
        String suffix = option.key().substring("attnstream.inference.".length());
        return config.getOptional(option).isPresent()
                || (!model.isEmpty()
                        && config.getOptional(
                                        copyWithKey(
                                                option,
                                                "attnstream.inference." + model + "." + suffix))
                                .isPresent());
    }

    public static RuntimeSettings defaults() {
        return from(new Configuration(), "");
    }

    public RuntimeSettings withBatching(int maxBatch, Duration wait) {
        return new RuntimeSettings(
                maxBatch, wait, workers, device, timeout, asyncCapacity, intraOpThreads, operator);
    }

    public RuntimeSettings withWorkers(int n) {
        return new RuntimeSettings(
                maxBatchSize, maxWait, n, device, timeout, asyncCapacity, intraOpThreads, operator);
    }

    /** The per-model key (attnstream.inference.<model>.<setting>) if set, else the general one. */
    private static <T> T get(ReadableConfig config, ConfigOption<T> general, String model) {
        if (!model.isEmpty()) {
            String setting = general.key().substring("attnstream.inference.".length());
            ConfigOption<T> specific =
                    copyWithKey(general, "attnstream.inference." + model + "." + setting);
            var v = config.getOptional(specific);
            if (v.isPresent()) {
                return v.get();
            }
        }
        return config.get(general);
    }

    @SuppressWarnings("unchecked")
    private static <T> ConfigOption<T> copyWithKey(ConfigOption<T> o, String key) {
        Object d = o.defaultValue();
        if (d instanceof Integer) {
            return (ConfigOption<T>) ConfigOptions.key(key).intType().noDefaultValue();
        }
        if (d instanceof Duration) {
            return (ConfigOption<T>) ConfigOptions.key(key).durationType().noDefaultValue();
        }
        return (ConfigOption<T>) ConfigOptions.key(key).stringType().noDefaultValue();
    }
}
