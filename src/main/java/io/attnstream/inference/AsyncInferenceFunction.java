package io.attnstream.inference;

import io.attnstream.platform.AvroTrust;
import io.attnstream.schema.FailureStage;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.util.function.SerializableFunction;

import java.nio.file.Path;
import java.util.List;

/**
 * Scores each input through the JVM's shared {@link BatchingRuntime} of the model. Used with
 * {@code AsyncDataStream}, so in-flight requests are checkpointed and replayed after a failure. Failures and
 * timeouts are emitted as failed {@link Inference} envelopes (then dead letters), never thrown: a bad batch must
 * not restart the job.
 *
 * @param <IN> the operator's input (e.g. a Sourced record or a keyed history)
 * @param <I>  the model request built from it
 * @param <O>  the model result
 */
public class AsyncInferenceFunction<IN, I, O> extends RichAsyncFunction<IN, Inference<IN, O>> {
    private static final long serialVersionUID = 1L;

    private final String modelName;
    private final String modelDir;
    private final RuntimeSettings settings;
    private final BatchTranslator<I, O> translator;
    private final SerializableFunction<IN, I> toRequest;
    private transient BatchingRuntime<I, O> runtime;
    private transient Counter subtaskRequests;
    private transient Counter subtaskFailures;

    public AsyncInferenceFunction(String modelName, Path modelDir, RuntimeSettings settings,
            BatchTranslator<I, O> translator, SerializableFunction<IN, I> toRequest) {
        this.modelName = modelName;
        this.modelDir = modelDir.toString();
        this.settings = settings;
        this.translator = translator;
        this.toRequest = toRequest;
    }

    @Override
    public void open(OpenContext openContext) {
        AvroTrust.install();
        DjlEngine.forceOffline(settings.intraOpThreads());
        // Loads (and checks) the model before the first record: a bad model fails here with a clear message.
        runtime = RuntimeRegistry.acquire(modelName, Path.of(modelDir), settings, translator);
        RuntimeMetrics.Counters c = RuntimeMetrics.register(getRuntimeContext().getMetricGroup(), runtime);
        subtaskRequests = c.requests();
        subtaskFailures = c.failures();
    }

    @Override
    public void asyncInvoke(IN input, ResultFuture<Inference<IN, O>> resultFuture) throws Exception {
        subtaskRequests.inc();
        I request;
        try {
            request = toRequest.apply(input);
        } catch (RuntimeException e) {
            subtaskFailures.inc();
            resultFuture.complete(List.of(Inference.failed(input, FailureStage.VALIDATE,
                    "cannot build a model request: " + BatchingRuntime.rootMessage(e))));
            return;
        }
        runtime.submit(request).whenComplete((result, error) -> {
            if (error == null) {
                resultFuture.complete(List.of(Inference.success(input, result)));
            } else {
                subtaskFailures.inc();
                resultFuture.complete(List.of(Inference.failed(input, FailureStage.INFERENCE,
                        error.getMessage() == null ? error.toString() : error.getMessage())));
            }
        });
    }

    @Override
    public void timeout(IN input, ResultFuture<Inference<IN, O>> resultFuture) {
        subtaskFailures.inc();
        resultFuture.complete(List.of(Inference.failed(input, FailureStage.TIMEOUT,
                "no result from " + modelName + " within " + settings.timeout().toMillis() + " ms")));
    }

    @Override
    public void close() {
        if (runtime != null) {
            RuntimeRegistry.release(modelName);
            runtime = null;
        }
    }
}
