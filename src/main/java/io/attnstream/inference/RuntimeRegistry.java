package io.attnstream.inference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link BatchingRuntime} per model per JVM (per job classloader on a cluster), shared by every subtask that
 * scores with that model and closed when the last one lets go. Model updates that arrive before any subtask has
 * opened the runtime are remembered and used when it starts.
 */
public final class RuntimeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeRegistry.class);

    private static final class Entry {
        BatchingRuntime<?, ?> runtime;
        int users;
    }

    private static final Map<String, Entry> RUNTIMES = new HashMap<>();
    /** The latest update seen per model: what a runtime created later must serve. */
    private static final Map<String, Path> LATEST_DIR = new HashMap<>();

    private RuntimeRegistry() {}

    /** The shared runtime of the model, created from {@code modelDir} (or the latest update) on first use. */
    @SuppressWarnings("unchecked")
    public static synchronized <I, O> BatchingRuntime<I, O> acquire(String modelName, Path modelDir,
            RuntimeSettings settings, BatchTranslator<I, O> translator) {
        Entry e = RUNTIMES.get(modelName);
        if (e == null) {
            Path dir = LATEST_DIR.getOrDefault(modelName, modelDir);
            e = new Entry();
            e.runtime = new BatchingRuntime<>(modelName, dir, settings, translator);
            RUNTIMES.put(modelName, e);
        }
        e.users++;
        return (BatchingRuntime<I, O>) e.runtime;
    }

    public static synchronized void release(String modelName) {
        Entry e = RUNTIMES.get(modelName);
        if (e != null && --e.users == 0) {
            RUNTIMES.remove(modelName);
            e.runtime.close();
            LOG.info("Runtime of {} closed (no subtask uses it)", modelName);
        }
    }

    /**
     * Applies a model update to this JVM's runtime (if one runs) and remembers it for runtimes started later.
     *
     * @return true when a running runtime switched versions
     * @throws io.attnstream.platform.AttnstreamException when the update is unusable; nothing changes then
     */
    public static boolean update(String modelName, Path dir, String version, String sha256) {
        BatchingRuntime<?, ?> runtime;
        synchronized (RuntimeRegistry.class) {
            Entry e = RUNTIMES.get(modelName);
            runtime = e == null ? null : e.runtime;
        }
        boolean switched;
        if (runtime != null) {
            switched = runtime.swap(dir, version, sha256); // loads outside the registry lock
        } else {
            ModelSpec spec = ModelStore.readSpec(dir); // at least reject what cannot be a model now
            if (!spec.name().equals(modelName) || version != null && !version.equals(spec.version())) {
                throw new io.attnstream.platform.AttnstreamException(dir.resolve(ModelStore.SPEC_FILE)
                        + " is " + spec.ref() + ", the update announced " + modelName + "@" + version);
            }
            switched = false;
        }
        synchronized (RuntimeRegistry.class) {
            LATEST_DIR.put(modelName, dir);
        }
        return switched;
    }

    /** The running runtime of a model in this JVM, if any (for tests in this package). */
    static synchronized BatchingRuntime<?, ?> find(String modelName) {
        Entry e = RUNTIMES.get(modelName);
        return e == null ? null : e.runtime;
    }
}
