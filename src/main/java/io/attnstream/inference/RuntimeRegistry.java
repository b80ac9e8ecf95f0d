package io.attnstream.inference;

import io.attnstream.platform.AttnstreamException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link BatchingRuntime} per model and translator factory per JVM (per job classloader on a
 * cluster), shared by every subtask that scores with that model through an equal factory, and
 * closed when the last one lets go. The factory is part of the key because it shapes every request
 * and result (top-k, attention per head, input size): two jobs that serve one model with different
 * factories must not share a runtime. Model updates apply to every runtime of the model; those that
 * arrive before any subtask has opened a runtime are remembered and used when it starts.
 */
public final class RuntimeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeRegistry.class);

    private static final class Entry {
        BatchingRuntime<?, ?> runtime;
        int users;
    }

    /**
     * A runtime's identity: the model and its translator factory's serialized form (equal bytes,
     * equal behaviour).
     */
    private record Key(String modelName, String translator) {}

    private static final Map<Key, Entry> RUNTIMES = new HashMap<>();

    /**
     * The latest update seen per job and model: what a runtime the job creates later must serve.
     * Per job: in a JVM that outlives a job (a MiniCluster, a session cluster whose classloader
     * keeps this class), another job's update must not replace the model a new job starts with.
     */
    private static final Map<UpdateKey, Path> LATEST_DIR = new HashMap<>();

    private record UpdateKey(String job, String modelName) {}

    /** The job of callers that name none (tests of the runtime alone). */
    static final String ANY_JOB = "";

    private RuntimeRegistry() {}

    /**
     * The shared runtime of the model with this translator, created from {@code modelDir} (or the
     * latest update) on first use; its settings are those of the first user.
     */
    public static <I, O> BatchingRuntime<I, O> acquire(
            String modelName,
            Path modelDir,
            RuntimeSettings settings,
            BatchTranslator<I, O> translator) {
        return acquire(ANY_JOB, modelName, modelDir, settings, TranslatorFactory.fixed(translator));
    }

    /**
     * As {@link #acquire(String, Path, RuntimeSettings, BatchTranslator)} with per-version
     * translators, for a subtask of {@code job}, whose latest update it starts with.
     */
    @SuppressWarnings("unchecked")
    public static synchronized <I, O> BatchingRuntime<I, O> acquire(
            String job,
            String modelName,
            Path modelDir,
            RuntimeSettings settings,
            TranslatorFactory<I, O> translator) {
        Key key = key(modelName, translator);
        Entry e = RUNTIMES.get(key);
        if (e == null) {
            Path dir = LATEST_DIR.getOrDefault(new UpdateKey(job, modelName), modelDir);
            e = new Entry();
            e.runtime = new BatchingRuntime<>(modelName, dir, settings, translator);
            RUNTIMES.put(key, e);
        }
        e.users++;
        return (BatchingRuntime<I, O>) e.runtime;
    }

    public static void release(String modelName, BatchTranslator<?, ?> translator) {
        release(modelName, TranslatorFactory.fixed(translator));
    }

    public static synchronized void release(String modelName, TranslatorFactory<?, ?> translator) {
        Key key = key(modelName, translator);
        Entry e = RUNTIMES.get(key);
        if (e != null && --e.users == 0) {
            RUNTIMES.remove(key);
            e.runtime.close();
            LOG.info("Runtime of {} closed (no subtask uses it)", modelName);
        }
    }

    /**
     * Applies a model update to this JVM's runtimes of the model (if any run) and remembers it for
     * runtimes started later.
     *
     * @return true when a running runtime switched versions
     * @throws io.attnstream.platform.AttnstreamException when the update is unusable; nothing
     *     changes then (a runtime that accepted it before another refused keeps the new version:
     *     the checks are the same)
     */
    public static boolean update(String modelName, Path dir, String version, String sha256) {
        return update(ANY_JOB, modelName, dir, version, sha256);
    }

    /** As {@link #update(String, Path, String, String)}, remembered for {@code job}'s runtimes. */
    public static boolean update(
            String job, String modelName, Path dir, String version, String sha256) {
        List<BatchingRuntime<?, ?>> runtimes = new ArrayList<>();
        synchronized (RuntimeRegistry.class) {
            RUNTIMES.forEach(
                    (k, e) -> {
                        if (k.modelName().equals(modelName)) {
                            runtimes.add(e.runtime);
                        }
                    });
        }
        boolean switched = false;
        if (!runtimes.isEmpty()) {
            for (BatchingRuntime<?, ?> runtime : runtimes) {
                switched |= runtime.swap(dir, version, sha256); // loads outside the registry lock
            }
        } else {
            ModelSpec spec = ModelStore.readSpec(dir); // at least reject what cannot be a model now
            if (!spec.name().equals(modelName)
                    || version != null && !version.equals(spec.version())) {
                throw new AttnstreamException(
                        dir.resolve(ModelStore.SPEC_FILE)
                                + " is "
                                + spec.ref()
                                + ", the update announced "
                                + modelName
                                + "@"
                                + version);
            }
            switched = false;
        }
        synchronized (RuntimeRegistry.class) {
            LATEST_DIR.put(new UpdateKey(job, modelName), dir);
        }
        return switched;
    }

    /** The running runtimes of a model in this JVM (for tests in this package). */
    static synchronized List<BatchingRuntime<?, ?>> find(String modelName) {
        List<BatchingRuntime<?, ?>> out = new ArrayList<>();
        RUNTIMES.forEach(
                (k, e) -> {
                    if (k.modelName().equals(modelName)) {
                        out.add(e.runtime);
                    }
                });
        return out;
    }

    private static Key key(String modelName, TranslatorFactory<?, ?> translator) {
        try {
            byte[] bytes = InstantiationUtil.serializeObject(translator);
            return new Key(
                    modelName,
                    translator.getClass().getName()
                            + "@"
                            + HexFormat.of()
                                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "translator of " + modelName + " is not serializable", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
