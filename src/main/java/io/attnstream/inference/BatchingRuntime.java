package io.attnstream.inference;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.attnstream.platform.AttnstreamException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for one model in one JVM, shared by every subtask that scores with it.
 *
 * <p>Callers submit <em>groups</em> of requests (an operator's micro-batch, or a single request)
 * that complete together: one call in, one callback out, whatever the group's size. Submitting
 * never blocks; the callers bound what they have in flight (the inference operator's capacity per
 * subtask), so the pending requests are at most the sum of those capacities.
 *
 * <p>Worker threads, each owning one {@link Predictor}, form the batches themselves, one worker at
 * a time (the <em>former</em>; the others wait for that role): it takes pending requests in
 * submission order until it holds {@code max-batch-size} or {@code max-wait} has passed since the
 * oldest pending request arrived, then runs the batch while the next free worker forms the next
 * one. While every worker is busy, requests simply accumulate, so under load batches fill up
 * instead of leaving half-empty at max-wait. DJL scores each batch inside a sub-NDManager that is
 * closed afterwards.
 *
 * <p>Batches are formed one at a time in submission order and each is stamped with the version
 * current at that moment: a later batch never runs an older version than an earlier one. A hot-swap
 * loads the new version beside the old, switches between batches, and closes the old version once
 * no batch or predictor uses it. No request is dropped or scored twice by a swap; each result names
 * the version that produced it.
 *
 * <p>A batch that fails is scored again one request at a time, so one poison request fails alone
 * ({@link InferenceException}); the runtime goes on.
 */
public final class BatchingRuntime<I, O> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingRuntime.class);

    private final String modelName;
    private final RuntimeSettings settings;
    private final TranslatorFactory<I, O> translators;
    private final List<Device> devices;

    /** Guards the pending groups and the former role. */
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Signalled when requests arrive that the former waits for (the first, or enough for a full
     * batch).
     */
    private final Condition arrivals = lock.newCondition();

    /** Signalled when the former role is free. */
    private final Condition formerFree = lock.newCondition();

    private final ArrayDeque<Group<I, O>> pending = new ArrayDeque<>();

    /** Requests in {@link #pending} not yet taken into a batch. */
    private int pendingRequests;

    private boolean forming;

    /** Guards reading + retaining the current version against a swap replacing + releasing it. */
    private final Object versionLock = new Object();

    private final List<Thread> workers = new ArrayList<>();
    private final RuntimeStats stats = new RuntimeStats();
    private final Object swapLock = new Object();
    private volatile ServedVersion<I, O> current;
    private volatile boolean running = true;

    /**
     * What a group's requests became, in request order: one callback per group, on a worker thread.
     */
    @FunctionalInterface
    public interface GroupCallback<O> {
        void completed(List<Scored<O>> results);
    }

    /** One request's outcome: a result, or why there is none. */
    public record Scored<O>(InferenceResult<O> result, InferenceException error) {
        public boolean succeeded() {
            return error == null;
        }
    }

    /**
     * A submitted group; {@link #cancel()} skips what no batch has taken yet (e.g. after a timeout
     * upstream).
     */
    public static final class Group<I, O> {
        final List<I> inputs;
        final long arrivalNanos;
        final GroupCallback<O> callback;
        final Object[] results;
        final AtomicInteger remaining;

        /** Next request of this group to go into a batch (guarded by the runtime's lock). */
        int next;

        volatile boolean cancelled;

        Group(List<I> inputs, long arrivalNanos, GroupCallback<O> callback) {
            this.inputs = inputs;
            this.arrivalNanos = arrivalNanos;
            this.callback = callback;
            this.results = new Object[inputs.size()];
            this.remaining = new AtomicInteger(inputs.size());
        }

        public void cancel() {
            cancelled = true;
        }

        void done(int index, Scored<O> outcome) {
            results[index] = outcome;
            finished(1);
        }

        /**
         * Counts {@code count} more results as set; the last one runs the callback (the atomic
         * publishes them).
         */
        @SuppressWarnings("unchecked")
        void finished(int count) {
            if (remaining.addAndGet(-count) == 0) {
                List<Scored<O>> out = new ArrayList<>(results.length);
                for (Object r : results) {
                    out.add((Scored<O>) r);
                }
                callback.completed(out);
            }
        }
    }

    /** A contiguous run of one group's requests inside a batch. */
    private record Slice<I, O>(Group<I, O> group, int from, int to) {}

    /** Requests scored together, by one version, stamped when the batch was formed. */
    private record Batch<I, O>(List<Slice<I, O>> slices, int size, ServedVersion<I, O> version) {}

    /**
     * One model version, loaded on every device the workers use, with the translator built from its
     * own preprocessing; closed when its last user lets go.
     */
    private static final class ServedVersion<I, O> {
        final ModelSpec spec;
        final Map<Device, LoadedModel> models;
        final BatchTranslator<I, O> translator;
        final BatchTranslatorAdapter<I, O> adapter;
        final Object contract;

        /** 1 for being current, +1 per worker predictor, +1 per formed batch not yet finished. */
        final AtomicInteger refs = new AtomicInteger(1);

        ServedVersion(
                ModelSpec spec,
                Map<Device, LoadedModel> models,
                BatchTranslator<I, O> translator,
                Object contract) {
            this.spec = spec;
            this.models = models;
            this.translator = translator;
            this.adapter = new BatchTranslatorAdapter<>(translator);
            this.contract = contract;
        }

        void retain() {
            refs.incrementAndGet();
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                models.values().forEach(LoadedModel::close);
                LOG.info("Closed model {}", spec.ref());
            }
        }
    }

    /**
     * A runtime whose one translator serves every version (see {@link TranslatorFactory#fixed}).
     */
    public BatchingRuntime(
            String modelName,
            Path modelDir,
            RuntimeSettings settings,
            BatchTranslator<I, O> translator) {
        this(modelName, modelDir, settings, TranslatorFactory.fixed(translator));
    }

    /**
     * Loads the model (all checks of {@link ModelStore#load}), builds its translator and starts the
     * workers.
     *
     * @throws AttnstreamException when the model directory is missing, corrupt or does not fit
     */
    public BatchingRuntime(
            String modelName,
            Path modelDir,
            RuntimeSettings settings,
            TranslatorFactory<I, O> translators) {
        this.modelName = modelName;
        this.settings = settings;
        this.translators = translators;
        DevicePlan plan = DevicePlan.forThisMachine(settings.device(), settings.workers());
        this.devices = plan.devices();
        this.current = loadVersion(modelDir);
        checkName(current.spec, modelDir);
        int n = plan.workers().size();
        for (int i = 0; i < n; i++) {
            Device device = plan.workers().get(i);
            Thread t =
                    new Thread(
                            () -> workerLoop(device), "attnstream-" + modelName + "-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        LOG.info(
                "Serving {} on {} with {} worker(s), batches of <= {} within {} ms",
                current.spec.ref(),
                devices,
                n,
                settings.maxBatchSize(),
                settings.maxWait().toMillis());
    }

    private ServedVersion<I, O> loadVersion(Path dir) {
        Map<Device, LoadedModel> models = new LinkedHashMap<>();
        try {
            for (Device d : devices) {
                models.put(d, ModelStore.load(dir, d));
            }
            ModelSpec spec = models.values().iterator().next().spec();
            BatchTranslator<I, O> translator;
            try {
                translator = translators.forVersion(spec);
            } catch (AttnstreamException e) {
                throw ModelStore.inFile(dir, e);
            }
            return new ServedVersion<>(spec, models, translator, translators.contract(spec));
        } catch (RuntimeException e) {
            models.values().forEach(LoadedModel::close);
            throw e;
        }
    }

    private void checkName(ModelSpec spec, Path dir) {
        if (!spec.name().equals(modelName)) {
            current.release();
            throw new AttnstreamException(
                    dir.resolve(ModelStore.SPEC_FILE)
                            + " describes model '"
                            + spec.name()
                            + "', expected '"
                            + modelName
                            + "'");
        }
    }

    public String modelName() {
        return modelName;
    }

    public ModelSpec currentSpec() {
        return current.spec;
    }

    public RuntimeStats stats() {
        return stats;
    }

    /**
     * Queues one request (a group of one). Never blocks.
     *
     * @return completes with the result, or exceptionally with an {@link InferenceException}
     */
    public CompletableFuture<InferenceResult<O>> submit(I input) {
        CompletableFuture<InferenceResult<O>> future = new CompletableFuture<>();
        submitAll(
                List.of(Objects.requireNonNull(input)),
                System.nanoTime(),
                results -> {
                    Scored<O> r = results.get(0);
                    if (r.succeeded()) {
                        future.complete(r.result());
                    } else {
                        future.completeExceptionally(r.error());
                    }
                });
        return future;
    }

    /**
     * Queues a group of requests that complete together: {@code callback} runs once, on a worker
     * thread, with one outcome per request in request order (also when the runtime is closed: then
     * every outcome is a failure). Never blocks: callers bound what they have in flight.
     *
     * @param arrivalNanos when the group's oldest request arrived ({@link System#nanoTime()}):
     *     max-wait counts from then, so a caller that buffered the group already does not make it
     *     wait twice
     */
    public Group<I, O> submitAll(List<I> inputs, long arrivalNanos, GroupCallback<O> callback) {
        Group<I, O> g = new Group<>(List.copyOf(inputs), arrivalNanos, callback);
        if (inputs.isEmpty()) {
            callback.completed(List.of());
            return g;
        }
        lock.lock();
        try {
            if (running) {
                stats.requests.addAndGet(inputs.size());
                boolean wasEmpty = pendingRequests == 0;
                pending.add(g);
                pendingRequests += inputs.size();
                // The former waits for its first request or for a full batch; other arrivals need
                // no wake-up.
                if (wasEmpty || pendingRequests >= settings.maxBatchSize()) {
                    arrivals.signal();
                }
                return g;
            }
        } finally {
            lock.unlock();
        }
        InferenceException closed =
                new InferenceException("runtime of " + modelName + " is closed", null);
        for (int i = 0; i < inputs.size(); i++) {
            g.done(i, new Scored<>(null, closed));
        }
        return g;
    }

    /**
     * Serves another version of the model: loads and checks it beside the current one, then
     * switches between batches. Idempotent for the version already served.
     *
     * @param expectedVersion null, or the version the update announced (must match model.json)
     * @param expectedSha256 null, or the parameter checksum the update announced
     * @return true when the version changed
     * @throws AttnstreamException when the update is unusable; the current version keeps serving
     */
    public boolean swap(Path dir, String expectedVersion, String expectedSha256) {
        synchronized (swapLock) {
            ModelSpec next = ModelStore.readSpec(dir);
            Path json = dir.resolve(ModelStore.SPEC_FILE);
            if (!next.name().equals(modelName)) {
                throw new AttnstreamException(
                        json
                                + " describes model '"
                                + next.name()
                                + "', this runtime serves '"
                                + modelName
                                + "'");
            }
            if (expectedVersion != null && !expectedVersion.equals(next.version())) {
                throw new AttnstreamException(
                        json
                                + " has version "
                                + next.version()
                                + ", the update announced "
                                + expectedVersion);
            }
            if (expectedSha256 != null
                    && !expectedSha256.equalsIgnoreCase(next.parameters().sha256())) {
                throw new AttnstreamException(
                        json
                                + " records parameter checksum "
                                + next.parameters().sha256()
                                + ", the update announced "
                                + expectedSha256);
            }
            ServedVersion<I, O> old = current;
            if (next.version().equals(old.spec.version())) {
                return false;
            }
            // Each version brings its own translator (vocabulary, sensor set, normalisation); what
            // the job's state and outputs are built around must stay, or the update needs a new
            // job.
            Object contract = translators.contract(next);
            if (!contract.equals(old.contract)) {
                throw new AttnstreamException(
                        json
                                + ": "
                                + contract
                                + " differs from the served version's "
                                + old.contract
                                + "; a job serves versions of one contract, so start a new job for"
                                + " this one");
            }
            ServedVersion<I, O> loaded = loadVersion(dir);
            synchronized (versionLock) {
                current = loaded;
            }
            old.release();
            stats.swaps.incrementAndGet();
            LOG.info(
                    "Model {} now serves version {} (was {})",
                    modelName,
                    loaded.spec.version(),
                    old.spec.version());
            return true;
        }
    }

    /**
     * The next batch for a worker, or null when the runtime is closed and nothing is pending. One
     * worker at a time forms a batch (the others wait for the former role), so batches are formed
     * in submission order and each is stamped with the version current when it closed.
     */
    private Batch<I, O> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (forming) {
                formerFree.await();
            }
            forming = true;
            try {
                while (pendingRequests == 0) {
                    if (!running) {
                        return null;
                    }
                    arrivals.await();
                }
                // Wait for a full batch, at most until max-wait after the oldest pending request
                // arrived.
                long deadline = pending.peekFirst().arrivalNanos + settings.maxWait().toNanos();
                while (running && pendingRequests < settings.maxBatchSize()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    arrivals.awaitNanos(left);
                }
                return take();
            } finally {
                forming = false;
                formerFree.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to max-batch-size pending requests, skipping cancelled groups (caller holds the
     * lock).
     */
    private Batch<I, O> take() {
        List<Slice<I, O>> slices = new ArrayList<>();
        int size = 0;
        while (size < settings.maxBatchSize() && !pending.isEmpty()) {
            Group<I, O> g = pending.peekFirst();
            int left = g.inputs.size() - g.next;
            if (g.cancelled) {
                pending.pollFirst();
                pendingRequests -= left;
                continue;
            }
            int n = Math.min(left, settings.maxBatchSize() - size);
            slices.add(new Slice<>(g, g.next, g.next + n));
            g.next += n;
            size += n;
            pendingRequests -= n;
            if (g.next == g.inputs.size()) {
                pending.pollFirst();
            }
        }
        ServedVersion<I, O> version;
        synchronized (versionLock) {
            version = current;
            version.retain(); // the batch's reference
        }
        return new Batch<>(slices, size, version);
    }

    /**
     * One forward pass on zeros of the model's input shapes (batch 1) before the worker takes
     * requests: PyTorch's first calls on a thread set up kernels and allocator pools, and without
     * this the first real frames of a video job queued for seconds behind them. A failure here is
     * logged; real batches then fail on their own.
     */
    private void warmUp(Device device) {
        ServedVersion<I, O> v;
        synchronized (versionLock) {
            v = current;
            v.retain();
        }
        long start = System.nanoTime();
        try (NDManager m = v.models.get(device).model().getNDManager().newSubManager(device)) {
            NDList inputs = new NDList();
            for (ModelSpec.TensorSpec t : v.spec.inputs()) {
                long[] dims = t.shape().clone();
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = dims[i] < 0 ? 1 : dims[i]; // the batch (and any free) dimension: 1
                }
                inputs.add(
                        m.zeros(
                                new Shape(dims),
                                DataType.valueOf(t.dtype().toUpperCase(Locale.ROOT))));
            }
            v.models
                    .get(device)
                    .model()
                    .getBlock()
                    .forward(new ParameterStore(m, false), inputs, false);
            LOG.debug(
                    "Warmed up {} on {} in {} ms",
                    v.spec.ref(),
                    device,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Warm-up forward pass of {} on {} failed ({}); serving anyway",
                    v.spec.ref(),
                    device,
                    rootMessage(e));
        } finally {
            v.release();
        }
    }

    private void workerLoop(Device device) {
        Predictor<List<I>, List<O>> predictor = null;
        ServedVersion<I, O> predictorVersion = null;
        warmUp(device);
        try {
            Batch<I, O> batch;
            while ((batch = nextBatch()) != null) {
                ServedVersion<I, O> version = batch.version();
                try {
                    if (batch.size() == 0) {
                        continue; // only cancelled requests were pending
                    }
                    if (version != predictorVersion) {
                        if (predictor != null) {
                            predictor.close();
                            predictorVersion.release();
                        }
                        predictor =
                                version.models
                                        .get(device)
                                        .model()
                                        .newPredictor(version.adapter, device);
                        version.retain(); // the predictor's reference
                        predictorVersion = version;
                    }
                    run(batch, predictor, version);
                } finally {
                    version.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (predictor != null) {
                predictor.close();
                predictorVersion.release();
            }
        }
    }

    private void run(
            Batch<I, O> batch, Predictor<List<I>, List<O>> predictor, ServedVersion<I, O> version) {
        ModelSpec spec = version.spec;
        List<I> inputs = new ArrayList<>(batch.size());
        for (Slice<I, O> s : batch.slices()) {
            inputs.addAll(s.group().inputs.subList(s.from(), s.to()));
        }
        long start = System.nanoTime();
        List<O> outputs;
        try {
            outputs = predict(predictor, inputs);
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            if (inputs.size() > 1) {
                // One bad request must not sink the others: score them one by one to find it.
                LOG.warn(
                        "Batch of {} failed in {} ({}); retrying its requests one by one",
                        inputs.size(),
                        spec.ref(),
                        rootMessage(e));
            }
            for (Slice<I, O> s : batch.slices()) {
                for (int i = s.from(); i < s.to(); i++) {
                    runAlone(s.group(), i, predictor, spec, inputs.size() == 1 ? e : null);
                }
            }
            return;
        }
        long took = System.nanoTime() - start;
        stats.batches.incrementAndGet();
        stats.batchSize.update(inputs.size());
        stats.inferenceMicros.update(took / 1000);
        int k = 0;
        for (Slice<I, O> s : batch.slices()) {
            Group<I, O> g = s.group();
            long wait = start - g.arrivalNanos;
            stats.queueWaitMicros.update(
                    wait / 1000); // one sample per slice: its requests arrived together
            for (int i = s.from(); i < s.to(); i++) {
                O out = outputs.get(k++);
                float[] attention = version.translator.attentionOf(out);
                if (attention != null) {
                    stats.attentionEntropyPermille.update(
                            Math.round(1000 * RuntimeStats.normalisedEntropy(attention)));
                }
                g.results[i] =
                        new Scored<>(
                                new InferenceResult<>(
                                        out,
                                        spec.name(),
                                        spec.version(),
                                        wait,
                                        took,
                                        inputs.size()),
                                null);
            }
            stats.completed.addAndGet(s.to() - s.from());
            g.finished(s.to() - s.from());
        }
    }

    /**
     * Scores one request of a failed batch on its own; {@code known} is the failure when it ran
     * alone already.
     */
    private void runAlone(
            Group<I, O> g,
            int i,
            Predictor<List<I>, List<O>> predictor,
            ModelSpec spec,
            Throwable known) {
        long start = System.nanoTime();
        Throwable error = known;
        if (error == null) {
            try {
                O out = predict(predictor, List.of(g.inputs.get(i))).get(0);
                long took = System.nanoTime() - start;
                stats.completed.incrementAndGet();
                g.done(
                        i,
                        new Scored<>(
                                new InferenceResult<>(
                                        out,
                                        spec.name(),
                                        spec.version(),
                                        start - g.arrivalNanos,
                                        took,
                                        1),
                                null));
                return;
            } catch (Exception | LinkageError | OutOfMemoryError e) {
                error = e;
            }
        }
        stats.errors.incrementAndGet();
        g.done(
                i,
                new Scored<>(
                        null,
                        new InferenceException(
                                "inference failed in " + spec.ref() + ": " + rootMessage(error),
                                error)));
    }

    private List<O> predict(Predictor<List<I>, List<O>> predictor, List<I> inputs)
            throws Exception {
        List<O> outputs = predictor.predict(inputs);
        if (outputs.size() != inputs.size()) {
            throw new IllegalStateException(
                    "translator returned "
                            + outputs.size()
                            + " results for "
                            + inputs.size()
                            + " requests");
        }
        return outputs;
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Stops taking requests, lets the workers finish what is pending, then closes the model. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            arrivals.signalAll();
            formerFree.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : workers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var batchSizes = stats.batchSize.getStatistics();
        var waits = stats.queueWaitMicros.getStatistics();
        var times = stats.inferenceMicros.getStatistics();
        LOG.info(
                "Runtime of {} stopping: {} requests scored in {} batches (recent batches: mean"
                        + " size {}, p50 {} ms; queue wait p50 {} ms, p99 {} ms), {} errors",
                modelName,
                stats.completed.get(),
                stats.batches.get(),
                String.format("%.1f", batchSizes.getMean()),
                String.format("%.1f", times.getQuantile(0.5) / 1000),
                String.format("%.1f", waits.getQuantile(0.5) / 1000),
                String.format("%.1f", waits.getQuantile(0.99) / 1000),
                stats.errors.get());
        failPending();
        current.release();
    }

    /**
     * Completes what workers that did not stop in time left pending, so no caller waits forever.
     */
    private void failPending() {
        List<Slice<I, O>> left = new ArrayList<>();
        lock.lock();
        try {
            for (Group<I, O> g : pending) {
                left.add(new Slice<>(g, g.next, g.inputs.size()));
                g.next = g.inputs.size();
            }
            pending.clear();
            pendingRequests = 0;
        } finally {
            lock.unlock();
        }
        InferenceException closed =
                new InferenceException("runtime of " + modelName + " closed", null);
        for (Slice<I, O> s : left) {
            for (int i = s.from(); i < s.to(); i++) {
                s.group().done(i, new Scored<>(null, closed));
            }
        }
    }
}
