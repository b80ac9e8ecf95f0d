package io.attnstream.inference;

import ai.djl.pytorch.jni.LibUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two things a GPU needs besides the card, as the doctor reports them: an NVIDIA kernel driver,
 * and a CUDA build of libtorch loaded by DJL. DJL's own view of both is one number (GPUs visible),
 * and its reason for a zero is a CUDA runtime error that reads "driver version is insufficient"
 * even when no driver is installed at all.
 *
 * @param driver the driver's version, empty when no NVIDIA kernel module is loaded
 * @param libtorchDir the directory DJL loaded libtorch from
 * @param build libtorch's flavour: {@code cpu}, {@code cu128}, ... (see {@link #buildOf})
 */
public record GpuEnvironment(Optional<String> driver, String libtorchDir, String build) {
    /**
     * The kernel module writes its version here, also inside containers started with the NVIDIA
     * runtime.
     */
    public static final Path DRIVER_VERSION_FILE = Path.of("/proc/driver/nvidia/version");

    // "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Wed Jan 22 ..." (open modules:
    // "... Open Kernel Module for x86_64  570.86.15 ...")
    private static final Pattern DRIVER =
            Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d[\\w.]*)");
    // DJL's cache directories: 2.7.1-cu128-linux-x86_64, 2.7.1-20250812-cpu-linux-x86_64
    private static final Pattern BUILD = Pattern.compile("-(cpu|cu\\d+|rocm[\\w.]*)-");

    /** What this JVM has; loads the engine (whose natives are the point). */
    public static GpuEnvironment probe() {
        DjlEngine.pytorch();
        String dir = LibUtils.getLibtorchPath();
        return new GpuEnvironment(driverVersion(DRIVER_VERSION_FILE), dir, buildOf(dir));
    }

    /** The driver version in the kernel module's version file; empty when the file is absent. */
    public static Optional<String> driverVersion(Path versionFile) {
        String text;
        try {
            text = Files.readString(versionFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("unknown (" + versionFile + ": " + e.getMessage() + ")");
        }
        Matcher m = DRIVER.matcher(text);
        return Optional.of(
                m.find() ? m.group(1) : text.lines().findFirst().orElse("unknown").trim());
    }

    /**
     * libtorch's flavour from the name of the directory DJL loaded it from, else (a
     * PYTORCH_LIBRARY_PATH of the user's) {@code cuda} when the directory holds {@code
     * libtorch_cuda.so}.
     */
    public static String buildOf(String libtorchDir) {
        if (libtorchDir == null) {
            return "unknown";
        }
        Path dir = Path.of(libtorchDir);
        Matcher m = BUILD.matcher(dir.getFileName() == null ? "" : dir.getFileName().toString());
        if (m.find()) {
            return m.group(1);
        }
        return Files.exists(dir.resolve("libtorch_cuda.so")) ? "cuda" : "unknown";
    }

    public boolean cudaBuild() {
        return build.startsWith("cu");
    }

    /**
     * Why DJL sees no GPU, as far as this environment tells, and what to check: one sentence for
     * the doctor's error line (the doctor's lines above it carry the driver version and libtorch's
     * directory).
     */
    public String whyNoGpu() {
        String found =
                (driver.isPresent()
                                ? "NVIDIA driver " + driver.get() + " is loaded"
                                : "no NVIDIA driver is loaded")
                        + " and libtorch is the "
                        + build
                        + " build";
        String checkDriver =
                "the driver (one for CUDA 12.8, R570 or newer; nvidia-smi lists the GPUs; in Docker"
                        + " --gpus all)";
        String checkNatives =
                "the natives (DJL's CUDA build of libtorch, pytorch-native-cpu off the classpath;"
                        + " see docker/Dockerfile.gpu)";
        String check;
        if (driver.isEmpty() && !cudaBuild()) {
            check = "check " + checkDriver + " and " + checkNatives;
        } else if (driver.isEmpty()) {
            check = "check " + checkDriver;
        } else if (!cudaBuild()) {
            check = "check " + checkNatives;
        } else {
            check =
                    "check that nvidia-smi lists a GPU and that the driver supports CUDA 12.8 (R570"
                            + " or newer)";
        }
        return found + "; " + check;
    }
}
