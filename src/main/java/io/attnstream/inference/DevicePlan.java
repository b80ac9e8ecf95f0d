package io.attnstream.inference;

import ai.djl.Device;
import io.attnstream.platform.AttnstreamException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a model's batching runtime runs: the devices the model is loaded on (once each) and the
 * device of each worker thread (each worker owns one Predictor).
 *
 * <ul>
 *   <li>GPU: one worker per GPU. A GPU gets its parallelism from the batch, not from more threads:
 *       two predictors on one device only queue their kernels behind each other and double its
 *       memory for activations. {@code auto} takes every visible GPU, {@code gpu:N} that one.
 *   <li>CPU ({@code cpu}, or {@code auto} without a GPU): the model loaded once, {@code cpuWorkers}
 *       workers sharing it (one per core the model may use, with one intra-op thread each).
 * </ul>
 *
 * <p>The visible GPUs are a parameter of {@link #of}, so the plan for a machine with two GPUs (or
 * none) is tested on one that has none; {@link #forThisMachine} asks DJL.
 *
 * @param devices distinct, in the order workers use them
 * @param workers one entry per worker thread: the device it runs on
 */
public record DevicePlan(List<Device> devices, List<Device> workers) {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePlan.class);

    /**
     * What to check when a GPU was asked for and DJL sees none; the doctor prints what it found of
     * each.
     */
    public static final String NO_GPU_HINT =
            "check the NVIDIA driver (nvidia-smi) and that DJL loaded a CUDA build of PyTorch, not"
                    + " pytorch-native-cpu (see docker/Dockerfile.gpu; 'doctor --device gpu' shows"
                    + " both)";

    public DevicePlan {
        devices = List.copyOf(devices);
        workers = List.copyOf(workers);
        if (devices.isEmpty() || workers.isEmpty() || !devices.containsAll(workers)) {
            throw new IllegalArgumentException(
                    "a plan needs devices and workers on them: " + devices + ", " + workers);
        }
    }

    /**
     * Plans for a machine whose GPUs are {@code visibleGpus}.
     *
     * @param cpuWorkers workers when the plan is on the CPU (ignored on GPU), >= 1
     * @throws AttnstreamException when {@code spec} names a GPU that is not visible
     */
    public static DevicePlan of(DeviceSpec spec, List<Device> visibleGpus, int cpuWorkers) {
        if (cpuWorkers < 1) {
            throw new AttnstreamException("workers must be >= 1, got " + cpuWorkers);
        }
        return switch (spec.kind()) {
            case CPU -> onCpu(cpuWorkers);
            case AUTO -> visibleGpus.isEmpty() ? onCpu(cpuWorkers) : onePerGpu(visibleGpus);
            case GPU -> {
                if (visibleGpus.isEmpty()) {
                    throw new AttnstreamException(
                            "--device "
                                    + spec
                                    + " asked for a GPU but DJL sees none: "
                                    + NO_GPU_HINT);
                }
                Device wanted = Device.gpu(spec.gpuIndex());
                if (!visibleGpus.contains(wanted)) {
                    throw new AttnstreamException(
                            "--device "
                                    + spec
                                    + " asked for GPU "
                                    + spec.gpuIndex()
                                    + " but DJL sees "
                                    + visibleGpus.size()
                                    + " GPU(s): "
                                    + names(visibleGpus)
                                    + " (numbered from 0)");
                }
                yield onePerGpu(List.of(wanted));
            }
        };
    }

    /** Plans against the GPUs DJL's PyTorch engine sees in this JVM (loads the engine). */
    public static DevicePlan forThisMachine(DeviceSpec spec, int cpuWorkers) {
        DevicePlan plan = of(spec, visibleGpus(), cpuWorkers);
        LOG.debug("Device {} planned as {}", spec, plan);
        return plan;
    }

    /** The GPUs DJL's PyTorch engine sees: gpu(0) .. gpu(n - 1). */
    public static List<Device> visibleGpus() {
        int n = DjlEngine.pytorch().getGpuCount();
        List<Device> gpus = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            gpus.add(Device.gpu(i));
        }
        return gpus;
    }

    public boolean onGpu() {
        return devices.get(0).isGpu();
    }

    /** For consoles and logs: "gpu(0), gpu(1): one worker per GPU" or "cpu(): 2 workers". */
    @Override
    public String toString() {
        return String.join(", ", devices.stream().map(Device::toString).toList())
                + (onGpu() ? ": one worker per GPU" : ": " + workers.size() + " worker(s)");
    }

    private static DevicePlan onCpu(int workers) {
        return new DevicePlan(List.of(Device.cpu()), Collections.nCopies(workers, Device.cpu()));
    }

    private static DevicePlan onePerGpu(List<Device> gpus) {
        return new DevicePlan(gpus, gpus);
    }

    /** "gpu:0, gpu:1": the names --device takes. */
    private static String names(List<Device> devices) {
        List<String> names = new ArrayList<>();
        for (Device d : devices) {
            names.add(d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu");
        }
        return String.join(", ", names);
    }
}
