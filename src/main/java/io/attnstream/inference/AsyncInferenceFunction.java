package io.attnstream.inference;

import io.attnstream.platform.AvroTrust;
import io.attnstream.schema.FailureStage;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Scores each input on its own through the JVM's shared {@link BatchingRuntime}, inside Flink's
 * async I/O operator ({@code attnstream.inference.operator: async}). The jobs use {@link
 * BatchingInferenceOperator} by default, which costs far less CPU per record; this path stays for
 * comparison and for callers that hand over one record at a time. {@link #asyncInvoke} never
 * blocks: the runtime's submission does not wait, and the async operator's capacity bounds what is
 * in flight. Failures and timeouts are emitted as failed {@link Inference} envelopes (then dead
 * letters), never thrown: a bad batch must not restart the job.
 *
 * @param <IN> the operator's input (e.g. a keyed history)
 * @param <I> the model request built from it
 * @param <O> the model result
 */
public class AsyncInferenceFunction<IN, I, O> extends RichAsyncFunction<IN, Inference<IN, O>> {
    private static final long serialVersionUID = 1L;

    private final ModelScoring<IN, I, O> scoring;
    private transient BatchingRuntime<I, O> runtime;
    private transient Counter subtaskRequests;
    private transient Counter subtaskFailures;

    public AsyncInferenceFunction(ModelScoring<IN, I, O> scoring) {
        this.scoring = scoring;
    }

    @Override
    public void open(OpenContext openContext) {
        AvroTrust.install();
        DjlEngine.forceOffline(scoring.settings().intraOpThreads());
        // Loads (and checks) the model before the first record: a bad model fails here with a clear
        // message.
        runtime = scoring.acquireRuntime(getRuntimeContext().getJobInfo().getJobId().toString());
        RuntimeMetrics.Counters c =
                RuntimeMetrics.register(getRuntimeContext().getMetricGroup(), runtime);
        subtaskRequests = c.requests();
        subtaskFailures = c.failures();
    }

    @Override
    public void asyncInvoke(IN input, ResultFuture<Inference<IN, O>> resultFuture) {
        subtaskRequests.inc();
        I request;
        try {
            request = scoring.toRequest().apply(input);
        } catch (RuntimeException e) {
            subtaskFailures.inc();
            resultFuture.complete(
                    List.of(
                            Inference.failed(
                                    input,
                                    FailureStage.VALIDATE,
                                    "cannot build a model request: "
                                            + BatchingRuntime.rootMessage(e))));
            return;
        }
        runtime.submit(request)
                .whenComplete(
                        (result, error) -> {
                            if (error == null) {
                                resultFuture.complete(List.of(Inference.success(input, result)));
                            } else {
                                subtaskFailures.inc();
                                resultFuture.complete(
                                        List.of(
                                                Inference.failed(
                                                        input,
                                                        FailureStage.INFERENCE,
                                                        error.getMessage() == null
                                                                ? error.toString()
                                                                : error.getMessage())));
                            }
                        });
    }

    @Override
    public void timeout(IN input, ResultFuture<Inference<IN, O>> resultFuture) {
        subtaskFailures.inc();
        resultFuture.complete(
                List.of(Inference.failed(input, FailureStage.TIMEOUT, scoring.timeoutReason())));
    }

    @Override
    public void close() {
        if (runtime != null) {
            scoring.releaseRuntime();
            runtime = null;
        }
    }
}
