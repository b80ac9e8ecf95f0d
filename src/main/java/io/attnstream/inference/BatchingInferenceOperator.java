package io.attnstream.inference;

import io.attnstream.platform.AvroTrust;
import io.attnstream.schema.FailureStage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamElement;
import org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Scores its input in micro-batches through the JVM's shared {@link BatchingRuntime}: records are
 * buffered in the task thread up to {@code max-batch-size} or for at most {@code max-wait}, each
 * micro-batch is one runtime call, and its results are emitted, in input order, by one mailbox
 * action. This replaces Flink's async I/O operator, whose per-record future, result handler,
 * timeout timer and mailbox wake-up cost more CPU than a small model's forward pass (see
 * DISCUSSION.md); it is the design Flink itself proposes for batched inference (FLINK-38825).
 *
 * <p>Back-pressure: at most {@code async-capacity} records per subtask are buffered or in flight.
 * When that many are, the task thread yields to its mailbox (where results arrive) until some are
 * emitted, exactly as Flink's async operator does; submitting to the shared runtime itself never
 * blocks, so a subtask never waits for the others' requests.
 *
 * <p>Exactly-once: buffered and in-flight inputs (and watermarks between them) are written to
 * operator state at each checkpoint and scored again after a restore. The state has the name and
 * format of Flink's async operator ({@code AsyncWaitOperator}), so a savepoint taken by a job that
 * still used it restores into this operator.
 *
 * <p>Failures are data: a request that cannot be built (VALIDATE), fails in the model (INFERENCE)
 * or has no result after {@code timeout} (TIMEOUT) becomes a failed {@link Inference}, in its place
 * in the order.
 */
public final class BatchingInferenceOperator<IN, I, O>
        extends AbstractStreamOperator<Inference<IN, O>>
        implements OneInputStreamOperator<IN, Inference<IN, O>>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Flink's AsyncWaitOperator's state name: savepoints of jobs that used it restore here. */
    static final String STATE_NAME = "_async_wait_operator_state_";

    private final ModelScoring<IN, I, O> scoring;
    private final transient MailboxExecutor mailbox;
    private final int microBatch;
    private final long maxWaitMillis;
    private final int capacity;
    private final long timeoutMillis;

    private transient BatchingRuntime<I, O> runtime;
    private transient StreamElementSerializer<IN> elementSerializer;
    private transient ListState<StreamElement> state;
    private transient List<StreamElement> recovered;
    private transient Counter requests;
    private transient Counter failures;

    /** The open micro-batch, not yet submitted. */
    private transient List<StreamRecord<IN>> buffer;

    /**
     * When the open micro-batch's first record came: on the runtime's clock, and on the timers'
     * clock.
     */
    private transient long bufferSinceNanos;

    private transient long bufferSinceMillis;
    private transient boolean flushTimerSet;

    /** Submitted micro-batches and the watermarks between them, in input order. */
    private transient ArrayDeque<Entry<IN, O>> queue;

    /** Records in {@link #queue}. */
    private transient int inFlight;

    private transient boolean timeoutTimerSet;

    /** A submitted micro-batch (or a watermark waiting for the records before it). */
    private static final class Entry<IN, O> {
        final List<StreamRecord<IN>> records;
        final Watermark watermark;

        /**
         * One per record: set when the request could not be built, when results arrive, or at the
         * timeout.
         */
        final Object[] outcomes;

        /** Index in {@link #records} of each request sent to the runtime. */
        int[] requestIndex;

        BatchingRuntime.Group<?, O> group;
        long submittedMillis;
        boolean done;

        Entry(List<StreamRecord<IN>> records) {
            this.records = records;
            this.watermark = null;
            this.outcomes = new Object[records.size()];
        }

        Entry(Watermark watermark) {
            this.records = List.of();
            this.watermark = watermark;
            this.outcomes = new Object[0];
            this.done = true;
        }
    }

    BatchingInferenceOperator(
            StreamOperatorParameters<Inference<IN, O>> parameters, ModelScoring<IN, I, O> scoring) {
        super(parameters);
        this.scoring = scoring;
        this.mailbox = parameters.getMailboxExecutor();
        RuntimeSettings s = scoring.settings();
        this.microBatch = s.maxBatchSize();
        // Processing-time timers have millisecond resolution: a sub-millisecond max-wait waits one
        // millisecond.
        this.maxWaitMillis = s.maxWait().isZero() ? 0 : Math.max(1, s.maxWait().toMillis());
        this.capacity = Math.max(s.asyncCapacity(), 1);
        this.timeoutMillis = s.timeout().toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        elementSerializer =
                new StreamElementSerializer<>(
                        getOperatorConfig().getTypeSerializerIn(0, getUserCodeClassloader()));
        state =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(STATE_NAME, elementSerializer));
        if (context.isRestored()) {
            recovered = new ArrayList<>();
            for (StreamElement e : state.get()) {
                recovered.add(e);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(microBatch);
        queue = new ArrayDeque<>();
        AvroTrust.install();
        DjlEngine.forceOffline(scoring.settings().intraOpThreads());
        // Loads (and checks) the model before the first record: a bad model fails here with a clear
        // message.
        runtime = scoring.acquireRuntime(getRuntimeContext().getJobInfo().getJobId().toString());
        RuntimeMetrics.Counters c = RuntimeMetrics.register(getMetricGroup(), runtime);
        requests = c.requests();
        failures = c.failures();
        if (recovered != null) {
            // Scored again, in their order; the operators after this one are open already (chains
            // open tail first).
            for (StreamElement e : recovered) {
                if (e.isRecord()) {
                    processElement(e.<IN>asRecord());
                } else if (e.isWatermark()) {
                    processWatermark(e.asWatermark());
                }
            }
            recovered = null;
        }
    }

    @Override
    public void processElement(StreamRecord<IN> record) throws Exception {
        // A new shell: upstream collectors and the network input reuse theirs (the value itself is
        // never reused).
        buffer.add(record.copy(record.getValue()));
        if (buffer.size() == 1) {
            bufferSinceNanos = System.nanoTime();
            bufferSinceMillis = getProcessingTimeService().getCurrentProcessingTime();
        }
        if (buffer.size() >= microBatch || maxWaitMillis == 0) {
            flush();
        } else if (!flushTimerSet) {
            armFlushTimer(bufferSinceMillis + maxWaitMillis);
        }
        if (inFlight + buffer.size() >= capacity) {
            flush();
            while (inFlight >= capacity) {
                // results arrive as mails; the task thread never parks outside the mailbox
                mailbox.yield();
            }
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // A watermark passes only after every record before it: it closes the open micro-batch and
        // waits in line.
        flush();
        if (queue.isEmpty()) {
            super.processWatermark(mark);
        } else {
            queue.add(new Entry<>(mark));
        }
    }

    @Override
    public void endInput() throws Exception {
        flush();
        while (!queue.isEmpty()) {
            mailbox.yield();
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.clear();
        List<StreamElement> held = new ArrayList<>(inFlight + buffer.size());
        for (Entry<IN, O> e : queue) {
            if (e.watermark != null) {
                held.add(e.watermark);
            } else {
                held.addAll(e.records);
            }
        }
        held.addAll(buffer);
        state.update(held);
    }

    @Override
    public void close() throws Exception {
        try {
            if (queue != null) {
                for (Entry<IN, O> e : queue) {
                    if (e.group != null) {
                        // their inputs are in the last checkpoint; nobody waits for them here
                        e.group.cancel();
                    }
                }
            }
            if (runtime != null) {
                scoring.releaseRuntime();
                runtime = null;
            }
        } finally {
            super.close();
        }
    }

    /** Submits the open micro-batch as one group. */
    private void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        Entry<IN, O> entry = new Entry<>(buffer);
        buffer = new ArrayList<>(microBatch);
        int n = entry.records.size();
        requests.inc(n);
        List<I> inputs = new ArrayList<>(n);
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            IN value = entry.records.get(i).getValue();
            try {
                inputs.add(scoring.toRequest().apply(value));
                index[inputs.size() - 1] = i;
            } catch (RuntimeException e) {
                failures.inc();
                entry.outcomes[i] =
                        Inference.failed(
                                value,
                                FailureStage.VALIDATE,
                                "cannot build a model request: " + BatchingRuntime.rootMessage(e));
            }
        }
        entry.requestIndex = index;
        entry.submittedMillis = getProcessingTimeService().getCurrentProcessingTime();
        queue.add(entry);
        inFlight += n;
        if (inputs.isEmpty()) {
            entry.done = true;
            emitReady();
            return;
        }
        entry.group =
                runtime.submitAll(
                        inputs,
                        bufferSinceNanos,
                        results -> {
                            try {
                                mailbox.execute(
                                        () -> complete(entry, results), "inference results");
                            } catch (RejectedExecutionException closing) {
                                // the task is shutting down: these inputs are in the last
                                // checkpoint and will be scored again
                            }
                        });
        if (!timeoutTimerSet) {
            armTimeoutTimer(entry.submittedMillis + timeoutMillis);
        }
    }

    /** In the task thread: the runtime's results for one micro-batch. */
    private void complete(Entry<IN, O> entry, List<BatchingRuntime.Scored<O>> results) {
        if (entry.done) {
            return; // timed out already
        }
        for (int k = 0; k < results.size(); k++) {
            int i = entry.requestIndex[k];
            IN value = entry.records.get(i).getValue();
            BatchingRuntime.Scored<O> r = results.get(k);
            if (r.succeeded()) {
                entry.outcomes[i] = Inference.success(value, r.result());
            } else {
                failures.inc();
                String reason = r.error().getMessage();
                entry.outcomes[i] =
                        Inference.failed(
                                value,
                                FailureStage.INFERENCE,
                                reason == null ? r.error().toString() : reason);
            }
        }
        entry.done = true;
        emitReady();
    }

    /** Emits finished entries from the head of the queue, keeping input order. */
    @SuppressWarnings("unchecked")
    private void emitReady() {
        while (!queue.isEmpty() && queue.peekFirst().done) {
            Entry<IN, O> e = queue.pollFirst();
            if (e.watermark != null) {
                try {
                    super.processWatermark(e.watermark);
                } catch (Exception ex) {
                    throw new IllegalStateException("cannot forward watermark " + e.watermark, ex);
                }
                continue;
            }
            for (int i = 0; i < e.records.size(); i++) {
                output.collect(e.records.get(i).replace((Inference<IN, O>) e.outcomes[i]));
            }
            inFlight -= e.records.size();
        }
    }

    /**
     * One flush timer at a time, not one per micro-batch: under load batches fill before max-wait,
     * and the timer then finds a younger buffer and re-arms for its deadline.
     */
    private void armFlushTimer(long at) {
        flushTimerSet = true;
        getProcessingTimeService()
                .registerTimer(
                        at,
                        now -> {
                            flushTimerSet = false;
                            if (buffer.isEmpty()) {
                                return;
                            }
                            long deadline = bufferSinceMillis + maxWaitMillis;
                            if (now >= deadline) {
                                flush();
                            } else {
                                armFlushTimer(deadline);
                            }
                        });
    }

    /**
     * One timer for all in-flight batches: it fires at the oldest one's deadline and re-arms for
     * the next.
     */
    private void armTimeoutTimer(long at) {
        timeoutTimerSet = true;
        getProcessingTimeService()
                .registerTimer(
                        at,
                        now -> {
                            timeoutTimerSet = false;
                            Entry<IN, O> next = null;
                            for (Entry<IN, O> e : queue) {
                                if (e.done) {
                                    continue;
                                }
                                if (e.submittedMillis + timeoutMillis <= now) {
                                    timeOut(e);
                                } else {
                                    next = e;
                                    break; // submitted in order: the rest are younger
                                }
                            }
                            emitReady();
                            if (next != null) {
                                armTimeoutTimer(next.submittedMillis + timeoutMillis);
                            }
                        });
    }

    private void timeOut(Entry<IN, O> e) {
        e.group.cancel();
        String reason = scoring.timeoutReason();
        for (int i = 0; i < e.outcomes.length; i++) {
            if (e.outcomes[i] == null) {
                failures.inc();
                e.outcomes[i] =
                        Inference.failed(e.records.get(i).getValue(), FailureStage.TIMEOUT, reason);
            }
        }
        e.done = true;
    }
}
