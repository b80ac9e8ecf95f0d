package io.attnstream.inference;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import io.attnstream.platform.AttnstreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.SynchronousQueue;

/**
 * Dynamic batching for one model in one JVM, shared by every subtask that scores with it.
 *
 * <p>Requests from any thread go into a bounded queue (full = the submitter blocks: back-pressure). One batcher
 * thread closes a batch when it holds {@code max-batch-size} requests or {@code max-wait} after its first request
 * arrived, whichever comes first, and hands it to a free worker; while all workers are busy the batch keeps
 * growing up to the maximum. Worker threads, each owning one {@link Predictor}, run the batches; DJL scores each
 * batch inside a sub-NDManager that is closed afterwards.
 *
 * <p>The batcher forms batches in queue order and stamps each with the version current at that moment: a later
 * batch never runs an older version than an earlier one. A hot-swap loads the new version beside the old, switches
 * between batches, and closes the old version once no batch or predictor uses it. No request is dropped or
 * scored twice by a swap; each result names the version that produced it.
 *
 * <p>A batch that fails completes its requests exceptionally ({@link InferenceException}); the runtime goes on.
 */
public final class BatchingRuntime<I, O> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingRuntime.class);

    private final String modelName;
    private final RuntimeSettings settings;
    private final BatchTranslator<I, O> translator;
    private final BatchTranslatorAdapter<I, O> adapter;
    private final List<Device> devices;
    private final BlockingQueue<Request<I, O>> queue;
    /** Formed batches wait here for a free worker (no buffering: a batch keeps growing until one is free). */
    private final SynchronousQueue<Batch<I, O>> handoff = new SynchronousQueue<>();
    /** Guards reading + retaining the current version against a swap replacing + releasing it. */
    private final Object versionLock = new Object();
    private final List<Thread> workers = new ArrayList<>();
    private final Thread batcher;
    private volatile boolean batcherDone;
    private final RuntimeStats stats = new RuntimeStats();
    private final Object swapLock = new Object();
    private volatile ServedVersion current;
    private volatile boolean running = true;

    private static final class Request<I, O> {
        final I input;
        final long enqueuedNanos = System.nanoTime();
        final CompletableFuture<InferenceResult<O>> future = new CompletableFuture<>();

        Request(I input) {
            this.input = input;
        }
    }

    /** Requests scored together, by one version, stamped when the batch was formed. */
    private record Batch<I, O>(List<Request<I, O>> requests, ServedVersion version) {}

    /** One model version, loaded on every device the workers use; closed when its last user lets go. */
    private static final class ServedVersion {
        final ModelSpec spec;
        final Map<Device, LoadedModel> models;
        /** 1 for being current, +1 per worker predictor, +1 per formed batch not yet finished. */
        final AtomicInteger refs = new AtomicInteger(1);

        ServedVersion(ModelSpec spec, Map<Device, LoadedModel> models) {
            this.spec = spec;
            this.models = models;
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
     * Loads the model (all checks of {@link ModelStore#load}) and starts the workers.
     *
     * @throws AttnstreamException when the model directory is missing, corrupt or does not fit
     */
    public BatchingRuntime(String modelName, Path modelDir, RuntimeSettings settings, BatchTranslator<I, O> translator) {
        this.modelName = modelName;
        this.settings = settings;
        this.translator = translator;
        this.adapter = new BatchTranslatorAdapter<>(translator);
        DevicePlan plan = DevicePlan.forThisMachine(settings.device(), settings.workers());
        this.devices = plan.devices();
        this.current = loadVersion(modelDir);
        checkName(current.spec, modelDir);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.batcher = new Thread(this::batcherLoop, "attnstream-" + modelName + "-batcher");
        batcher.setDaemon(true);
        batcher.start();
        int n = plan.workers().size();
        for (int i = 0; i < n; i++) {
            Device device = plan.workers().get(i);
            Thread t = new Thread(() -> workerLoop(device), "attnstream-" + modelName + "-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        LOG.info("Serving {} on {} with {} worker(s), batches of <= {} within {} ms", current.spec.ref(), devices,
                n, settings.maxBatchSize(), settings.maxWait().toMillis());
    }

    private ServedVersion loadVersion(Path dir) {
        Map<Device, LoadedModel> models = new LinkedHashMap<>();
        try {
            for (Device d : devices) {
                models.put(d, ModelStore.load(dir, d));
            }
        } catch (RuntimeException e) {
            models.values().forEach(LoadedModel::close);
            throw e;
        }
        return new ServedVersion(models.values().iterator().next().spec(), models);
    }

    private void checkName(ModelSpec spec, Path dir) {
        if (!spec.name().equals(modelName)) {
            current.release();
            throw new AttnstreamException(dir.resolve(ModelStore.SPEC_FILE) + " describes model '" + spec.name()
                    + "', expected '" + modelName + "'");
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
     * Queues one request; blocks while the queue is full.
     *
     * @return completes with the result, or exceptionally with an {@link InferenceException}
     */
    public CompletableFuture<InferenceResult<O>> submit(I input) throws InterruptedException {
        Request<I, O> r = new Request<>(Objects.requireNonNull(input));
        if (!running) {
            r.future.completeExceptionally(new InferenceException("runtime of " + modelName + " is closed", null));
            return r.future;
        }
        stats.requests.incrementAndGet();
        queue.put(r);
        return r.future;
    }

    /**
     * Serves another version of the model: loads and checks it beside the current one, then switches between
     * batches. Idempotent for the version already served.
     *
     * @param expectedVersion null, or the version the update announced (must match model.json)
     * @param expectedSha256  null, or the parameter checksum the update announced
     * @return true when the version changed
     * @throws AttnstreamException when the update is unusable; the current version keeps serving
     */
    public boolean swap(Path dir, String expectedVersion, String expectedSha256) {
        synchronized (swapLock) {
            ModelSpec next = ModelStore.readSpec(dir);
            Path json = dir.resolve(ModelStore.SPEC_FILE);
            if (!next.name().equals(modelName)) {
                throw new AttnstreamException(json + " describes model '" + next.name() + "', this runtime serves '" + modelName + "'");
            }
            if (expectedVersion != null && !expectedVersion.equals(next.version())) {
                throw new AttnstreamException(json + " has version " + next.version() + ", the update announced " + expectedVersion);
            }
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(next.parameters().sha256())) {
                throw new AttnstreamException(json + " records parameter checksum " + next.parameters().sha256()
                        + ", the update announced " + expectedSha256);
            }
            ServedVersion old = current;
            if (next.version().equals(old.spec.version())) {
                return false;
            }
            // The translator is built for one set of shapes: a version with other shapes needs a new job.
            if (!next.inputs().equals(old.spec.inputs()) || !next.outputs().equals(old.spec.outputs())) {
                throw new AttnstreamException(json + ": shapes " + next.inputs() + " -> " + next.outputs()
                        + " differ from the served version's " + old.spec.inputs() + " -> " + old.spec.outputs());
            }
            // ... and for one preprocessing (vocabulary, sensor order, normalisation): a version trained with another
            // would be fed wrongly encoded inputs, so it too needs a new job.
            if (!java.util.Objects.equals(next.preprocessing(), old.spec.preprocessing())) {
                throw new AttnstreamException(json + ": its preprocessing (vocabulary/normalisation) differs from the"
                        + " served version's; the job's translator was built for the served one, so start a new job");
            }
            ServedVersion loaded = loadVersion(dir);
            synchronized (versionLock) {
                current = loaded;
            }
            old.release();
            stats.swaps.incrementAndGet();
            LOG.info("Model {} now serves version {} (was {})", modelName, loaded.spec.version(), old.spec.version());
            return true;
        }
    }

    /**
     * Forms batches one at a time in queue order and stamps each with the version current at that moment, so a
     * later batch never runs an older version than an earlier one. While every worker is busy, the waiting batch
     * keeps taking newly queued requests (up to max-batch-size).
     */
    private void batcherLoop() {
        try {
            while (running || !queue.isEmpty()) {
                Request<I, O> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null || first.future.isDone()) { // isDone: timed out upstream, skip the work
                    continue;
                }
                List<Request<I, O>> requests = new ArrayList<>(settings.maxBatchSize());
                requests.add(first);
                long deadline = first.enqueuedNanos + settings.maxWait().toNanos();
                while (requests.size() < settings.maxBatchSize()) {
                    long wait = deadline - System.nanoTime();
                    Request<I, O> r = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (r == null) {
                        break;
                    }
                    if (!r.future.isDone()) {
                        requests.add(r);
                    }
                }
                ServedVersion version;
                synchronized (versionLock) {
                    version = current;
                    version.retain(); // the batch's reference
                }
                Batch<I, O> batch = new Batch<>(requests, version);
                while (!handoff.offer(batch, 1, TimeUnit.MILLISECONDS)) {
                    Request<I, O> r;
                    while (requests.size() < settings.maxBatchSize() && (r = queue.poll()) != null) {
                        if (!r.future.isDone()) {
                            requests.add(r);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batcherDone = true;
        }
    }

    private void workerLoop(Device device) {
        Predictor<List<I>, List<O>> predictor = null;
        ServedVersion predictorVersion = null;
        try {
            while (true) {
                Batch<I, O> batch = handoff.poll(50, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    if (batcherDone) {
                        break;
                    }
                    continue;
                }
                ServedVersion version = batch.version();
                try {
                    if (version != predictorVersion) {
                        if (predictor != null) {
                            predictor.close();
                            predictorVersion.release();
                        }
                        predictor = version.models.get(device).model().newPredictor(adapter, device);
                        version.retain(); // the predictor's reference
                        predictorVersion = version;
                    }
                    run(batch.requests(), predictor, version.spec);
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

    private void run(List<Request<I, O>> batch, Predictor<List<I>, List<O>> predictor, ModelSpec spec) {
        long start = System.nanoTime();
        List<O> outputs;
        try {
            outputs = predict(predictor, batch);
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            if (batch.size() == 1) {
                fail(batch.get(0), spec, e);
            } else {
                // One bad request must not sink the others: score them one by one to find it.
                LOG.warn("Batch of {} failed in {} ({}); retrying its requests one by one", batch.size(), spec.ref(), rootMessage(e));
                for (Request<I, O> r : batch) {
                    run(List.of(r), predictor, spec);
                }
            }
            return;
        }
        long took = System.nanoTime() - start;
        stats.batches.incrementAndGet();
        stats.batchSize.update(batch.size());
        stats.inferenceMicros.update(took / 1000);
        for (int i = 0; i < batch.size(); i++) {
            Request<I, O> r = batch.get(i);
            O out = outputs.get(i);
            stats.queueWaitMicros.update((start - r.enqueuedNanos) / 1000);
            float[] attention = translator.attentionOf(out);
            if (attention != null) {
                stats.attentionEntropyPermille.update(Math.round(1000 * RuntimeStats.normalisedEntropy(attention)));
            }
            stats.completed.incrementAndGet();
            r.future.complete(new InferenceResult<>(out, spec.name(), spec.version(), start - r.enqueuedNanos, took, batch.size()));
        }
    }

    private List<O> predict(Predictor<List<I>, List<O>> predictor, List<Request<I, O>> batch) throws Exception {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Request<I, O> r : batch) {
            inputs.add(r.input);
        }
        List<O> outputs = predictor.predict(inputs);
        if (outputs.size() != batch.size()) {
            throw new IllegalStateException("translator returned " + outputs.size() + " results for " + batch.size() + " requests");
        }
        return outputs;
    }

    private void fail(Request<I, O> r, ModelSpec spec, Throwable e) {
        stats.errors.incrementAndGet();
        r.future.completeExceptionally(new InferenceException("inference failed in " + spec.ref() + ": " + rootMessage(e), e));
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Stops taking requests, lets the workers finish what is queued, then closes the model. */
    @Override
    public void close() {
        running = false;
        try {
            batcher.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        LOG.info("Runtime of {} stopping: {} requests scored in {} batches (recent batches: mean size {}, "
                        + "p50 {} ms; queue wait p50 {} ms, p99 {} ms), {} errors", modelName, stats.completed.get(),
                stats.batches.get(), String.format("%.1f", batchSizes.getMean()),
                String.format("%.1f", times.getQuantile(0.5) / 1000), String.format("%.1f", waits.getQuantile(0.5) / 1000),
                String.format("%.1f", waits.getQuantile(0.99) / 1000), stats.errors.get());
        Request<I, O> left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(new InferenceException("runtime of " + modelName + " closed", null));
        }
        current.release();
    }
}
