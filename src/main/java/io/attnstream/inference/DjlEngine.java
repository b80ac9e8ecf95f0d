package io.attnstream.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.attnstream.platform.AttnstreamException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads DJL's PyTorch engine without touching the network and turns a {@link DeviceSpec} into a
 * device.
 *
 * <p>Offline mode must be set before any DJL class is initialised (DJL reads it statically), so
 * this class sets it in its static initialiser and {@code Main} does too. Natives come from {@code
 * pytorch-native-cpu} on the classpath (target/lib beside the jar, or Flink's lib/ on a cluster)
 * and are unpacked into DJL's cache dir.
 */
public final class DjlEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DjlEngine.class);
    public static final String ENGINE_NAME = "PyTorch";
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    static {
        forceOffline();
    }

    private DjlEngine() {}

    /**
     * Offline, plus PyTorch's intra-op thread count, before DJL loads (it reads both once per JVM;
     * a -D of the user's wins).
     */
    public static void forceOffline(int intraOpThreads) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
        }
        forceOffline();
    }

    /**
     * Makes every later DJL call offline. Idempotent; an explicit setting of the user's is kept.
     */
    public static void forceOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // PyTorch would otherwise use every core for intra-op threads in each worker thread and
        // oversubscribe.
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /**
     * The PyTorch engine, loaded once per JVM (and per classloader: DJL's natives can be loaded by
     * one classloader only, hence the parent-first pattern {@code ai.djl.} on a cluster).
     *
     * @throws AttnstreamException with one readable line when the natives are missing or unusable
     */
    public static Engine pytorch() {
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE_NAME);
        } catch (Throwable t) {
            // UnsatisfiedLinkError, EngineException, ExceptionInInitializerError, ...
            throw new AttnstreamException(
                    "DJL could not load the PyTorch engine offline ("
                            + rootMessage(t)
                            + "). Put ai.djl.pytorch:pytorch-native-cpu:<torch>:linux-x86_64 (or a"
                            + " CUDA build) on the classpath: target/lib beside attnstream.jar, or"
                            + " Flink's lib/ on a cluster.",
                    t);
        }
        if (LOGGED.compareAndSet(false, true)) {
            NnpackSwitch.disableWhereUnsupported();
            LOG.info(
                    "DJL {} engine {} {} (offline={}); GPUs visible: {}",
                    Engine.getDjlVersion(),
                    engine.getEngineName(),
                    engine.getVersion(),
                    System.getProperty("ai.djl.offline"),
                    engine.getGpuCount());
        }
        return engine;
    }

    /**
     * The first device of the spec's {@link DevicePlan} on this machine (auto with GPUs: gpu(0));
     * asking for a GPU that is not there is a clear error.
     */
    public static Device device(DeviceSpec spec) {
        return DevicePlan.forThisMachine(spec, 1).devices().get(0);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** A process-wide PyTorch setting held for a scope: closing it restores the previous value. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Sets PyTorch's intra-op thread count (process-wide) until the scope closes; 0 keeps the
     * engine's setting. Training uses it: with two OpenMP threads, a step stalled 10-20x whenever
     * another process held the other core; with one it ran 1.5x slower than two on an idle machine.
     */
    public static Scope intraOpThreads(int threads) {
        pytorch(); // loads the native library JniUtils needs
        int before = JniUtils.getNumThreads();
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        return () -> JniUtils.setNumThreads(before);
    }
}
