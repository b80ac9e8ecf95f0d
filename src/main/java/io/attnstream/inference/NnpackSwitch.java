package io.attnstream.inference;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns PyTorch's NNPACK convolutions off where NNPACK cannot initialise on this CPU.
 *
 * <p>PyTorch offers every CPU convolution to NNPACK first; where NNPACK reports unsupported
 * hardware, PyTorch logs {@code Could not initialize NNPACK! Reason: Unsupported hardware.} on each
 * call and then uses its other kernels (2,892 lines in seven minutes of {@code train video} on the
 * project's machine). With NNPACK off, PyTorch goes to those kernels directly: the same arithmetic,
 * no line. On a CPU where NNPACK works, nothing changes.
 *
 * <p>The switch is Python's {@code torch.backends.nnpack.enabled = False}, in C++ {@code
 * at::globalContext().setUserEnabledNNPACK(false)}. DJL's JNI does not expose it, so it is called
 * through JNA (which DJL itself depends on) on the {@code libtorch_cpu} that DJL loaded, found in
 * the process's memory map. Anything unexpected (another OS, a libtorch without these symbols)
 * leaves PyTorch as it is: the switch is about noise, never a reason to fail.
 */
final class NnpackSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(NnpackSwitch.class);
    private static final String LIBRARY = "libtorch_cpu.so";

    /** {@code at::globalContext()}: the process's {@code at::Context&}. */
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";

    /** {@code at::Context::setUserEnabledNNPACK(bool)}. */
    private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

    /** NNPACK's {@code nnp_status nnp_initialize(void)}: 0 is success; idempotent. */
    private static final String NNP_INITIALIZE = "nnp_initialize";

    private NnpackSwitch() {}

    /**
     * Call once after DJL has loaded the PyTorch engine.
     *
     * @return whether NNPACK was turned off
     */
    static boolean disableWhereUnsupported() {
        Optional<Path> library = loadedLibrary(Path.of("/proc/self/maps"));
        if (library.isEmpty()) {
            LOG.debug("{} is not mapped in this process; NNPACK left as it is", LIBRARY);
            return false;
        }
        try {
            NativeLibrary torch = NativeLibrary.getInstance(library.get().toString());
            int status = torch.getFunction(NNP_INITIALIZE).invokeInt(new Object[0]);
            if (status == 0) {
                return false; // NNPACK works here: PyTorch may use it
            }
            Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
            Function setEnabled = torch.getFunction(SET_NNPACK);
            setEnabled.invokeVoid(new Object[] {context, Boolean.FALSE});
            LOG.debug("NNPACK cannot initialise here (status {}): turned off", status);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("NNPACK left as it is: {}", e.toString());
            return false;
        }
    }

    /** The path of {@code libtorch_cpu.so} in a {@code /proc/<pid>/maps} listing, if mapped. */
    static Optional<Path> loadedLibrary(Path maps) {
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.map(String::trim)
                    .filter(l -> l.endsWith("/" + LIBRARY))
                    .map(l -> Path.of(l.substring(l.indexOf('/'))))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
