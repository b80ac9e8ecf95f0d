package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NnpackSwitchTest {
    @Test
    void findsLibtorchCpuInAMemoryMap(@TempDir Path dir) throws Exception {
        Path maps = dir.resolve("maps");
        Files.writeString(
                maps,
                String.join(
                        "\n",
                        "7f1c2a000000-7f1c2a200000 r--p 00000000 08:01 1234   /usr/lib/libc.so.6",
                        "7f1c30000000-7f1c31000000 r-xp 00000000 08:01 5678  "
                                + " /root/.djl.ai/pytorch/2.7.1-cpu/libtorch_cpu.so",
                        "7f1c32000000-7f1c33000000 rw-p 00000000 00:00 0"));

        assertThat(NnpackSwitch.loadedLibrary(maps))
                .contains(Path.of("/root/.djl.ai/pytorch/2.7.1-cpu/libtorch_cpu.so"));
        assertThat(NnpackSwitch.loadedLibrary(dir.resolve("absent"))).isEmpty();
    }

    /**
     * After the engine loads, PyTorch's NNPACK switch is off exactly when NNPACK cannot initialise
     * on this CPU (then PyTorch would log a line at every convolution), and on where it can.
     */
    @Test
    void theEngineLeavesNnpackOnExactlyWhereItInitialises() {
        DjlEngine.pytorch();
        Optional<Path> library = NnpackSwitch.loadedLibrary(Path.of("/proc/self/maps"));
        assertThat(library).as("libtorch_cpu.so mapped after the engine loaded").isPresent();
        NativeLibrary torch = NativeLibrary.getInstance(library.get().toString());
        boolean nnpackWorks = torch.getFunction("nnp_initialize").invokeInt(new Object[0]) == 0;
        Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
        boolean enabled =
                (torch.getFunction("_ZNK2at7Context17userEnabledNNPACKEv")
                                        .invokeInt(new Object[] {context})
                                & 0xff)
                        != 0;

        assertThat(enabled).isEqualTo(nnpackWorks);
    }
}
