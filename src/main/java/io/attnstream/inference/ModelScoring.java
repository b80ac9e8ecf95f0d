package io.attnstream.inference;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.flink.util.function.SerializableFunction;

/**
 * What an inference operator needs to score its input with a model: which model, how its runtime
 * runs, how each version of it is fed (the family's translators), and how an operator input becomes
 * a model request.
 *
 * @param modelDir the version to start with (a later model update replaces it)
 * @param toRequest builds the request; a RuntimeException means "cannot be scored" (a VALIDATE
 *     failure)
 * @param <IN> the operator's input (e.g. a keyed history)
 * @param <I> the model request
 * @param <O> the model result
 */
public record ModelScoring<IN, I, O>(
        String modelName,
        String modelDir,
        RuntimeSettings settings,
        TranslatorFactory<I, O> translators,
        SerializableFunction<IN, I> toRequest)
        implements Serializable {

    public ModelScoring(
            String modelName,
            Path modelDir,
            RuntimeSettings settings,
            TranslatorFactory<I, O> translators,
            SerializableFunction<IN, I> toRequest) {
        this(modelName, modelDir.toString(), settings, translators, toRequest);
    }

    /** With one translator for every version ({@link TranslatorFactory#fixed}). */
    public ModelScoring(
            String modelName,
            Path modelDir,
            RuntimeSettings settings,
            BatchTranslator<I, O> translator,
            SerializableFunction<IN, I> toRequest) {
        this(modelName, modelDir, settings, TranslatorFactory.fixed(translator), toRequest);
    }

    /**
     * The JVM's shared runtime of this model (see {@link RuntimeRegistry}); release it when done.
     */
    BatchingRuntime<I, O> acquireRuntime(String job) {
        return RuntimeRegistry.acquire(job, modelName, Path.of(modelDir), settings, translators);
    }

    void releaseRuntime() {
        RuntimeRegistry.release(modelName, translators);
    }

    String timeoutReason() {
        return "no result from " + modelName + " within " + settings.timeout().toMillis() + " ms";
    }
}
