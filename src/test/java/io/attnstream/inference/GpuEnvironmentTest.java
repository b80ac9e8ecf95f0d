package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuEnvironmentTest {

    @Test
    void driverVersionIsReadFromTheKernelModulesVersionFile(@TempDir Path dir) throws Exception {
        Path proprietary =
                Files.writeString(
                        dir.resolve("a"),
                        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Wed Jan 22"
                                + " 00:00:00 UTC 2025\n"
                                + "GCC version:  gcc version 13.3.0\n");
        Path open =
                Files.writeString(
                        dir.resolve("b"),
                        "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64"
                                + "  575.51.03  Release Build\n");

        assertThat(GpuEnvironment.driverVersion(proprietary)).contains("570.86.15");
        assertThat(GpuEnvironment.driverVersion(open)).contains("575.51.03");
        assertThat(GpuEnvironment.driverVersion(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void buildComesFromDjlsCacheDirectoryName(@TempDir Path dir) throws Exception {
        assertThat(GpuEnvironment.buildOf("/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64"))
                .isEqualTo("cpu");
        assertThat(GpuEnvironment.buildOf("/opt/djl/pytorch/2.7.1-cu128-linux-x86_64"))
                .isEqualTo("cu128");
        assertThat(GpuEnvironment.buildOf(dir.toString())).isEqualTo("unknown");
        Files.createFile(dir.resolve("libtorch_cuda.so"));
        assertThat(GpuEnvironment.buildOf(dir.toString()))
                .as("a user's own libtorch")
                .isEqualTo("cuda");
    }

    @Test
    void noGpuExplanationNamesWhatIsMissing() {
        GpuEnvironment bare =
                new GpuEnvironment(Optional.empty(), "/c/2.7.1-cpu-linux-x86_64", "cpu");
        GpuEnvironment cpuNatives =
                new GpuEnvironment(Optional.of("570.86.15"), "/c/2.7.1-cpu-linux-x86_64", "cpu");
        GpuEnvironment noDriver =
                new GpuEnvironment(Optional.empty(), "/c/2.7.1-cu128-linux-x86_64", "cu128");
        GpuEnvironment both =
                new GpuEnvironment(
                        Optional.of("570.86.15"), "/c/2.7.1-cu128-linux-x86_64", "cu128");

        assertThat(bare.whyNoGpu())
                .startsWith(
                        "no NVIDIA driver is loaded and libtorch is the cpu build; check the"
                                + " driver (")
                .contains("and the natives (");
        assertThat(cpuNatives.whyNoGpu())
                .startsWith(
                        "NVIDIA driver 570.86.15 is loaded and libtorch is the cpu"
                                + " build; check the natives (")
                .doesNotContain("check the driver");
        assertThat(noDriver.whyNoGpu())
                .startsWith(
                        "no NVIDIA driver is loaded and libtorch is the cu128 build; check"
                                + " the driver (")
                .doesNotContain("the natives");
        assertThat(both.whyNoGpu())
                .endsWith(
                        "check that nvidia-smi lists a GPU and that the driver supports CUDA"
                                + " 12.8 (R570 or newer)");
    }
}
