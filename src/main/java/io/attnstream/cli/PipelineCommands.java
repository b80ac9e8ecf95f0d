package io.attnstream.cli;

import java.util.List;

/**
 * A pipeline's own commands under {@code train}, {@code evaluate} and {@code produce}: picocli
 * command objects (classes annotated {@code @Command}, named as users type them), found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.attnstream.cli.PipelineCommands}, one line
 * per pipeline, in the order help lists them). The CLI never names a pipeline's command, so a new
 * pipeline brings its commands in its own package. The commands use the CLI's shared options and
 * errors ({@link CommonOptions}, {@link ModelOutputOptions}, {@link Main.UsageException}).
 */
public interface PipelineCommands {
    /** {@code train <name>}: how the pipeline's model is trained; none for a model-less one. */
    default List<Object> train() {
        return List.of();
    }

    /** {@code evaluate <name>}: the model and its baselines on held-out data. */
    default List<Object> evaluate() {
        return List.of();
    }

    /**
     * Further {@code evaluate} commands, of baselines on the pipeline's data (e.g. traffic's
     * last-value forecast); help lists them after every pipeline's own.
     */
    default List<Object> evaluateBaselines() {
        return List.of();
    }

    /** {@code produce <name>}: simulated or replayed input records. */
    default List<Object> produce() {
        return List.of();
    }
}
