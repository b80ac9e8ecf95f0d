package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.attnstream.platform.AttnstreamException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans against faked device lists: no CUDA needed to plan for two GPUs. */
class DevicePlanTest {
    private static final List<Device> NO_GPU = List.of();
    private static final List<Device> ONE_GPU = List.of(Device.gpu(0));
    private static final List<Device> TWO_GPUS = List.of(Device.gpu(0), Device.gpu(1));

    @Test
    void autoWithoutGpusRunsTheConfiguredWorkersOnTheCpu() {
        DevicePlan plan = DevicePlan.of(DeviceSpec.AUTO, NO_GPU, 3);

        assertThat(plan.onGpu()).isFalse();
        assertThat(plan.devices()).containsExactly(Device.cpu());
        assertThat(plan.workers()).containsExactly(Device.cpu(), Device.cpu(), Device.cpu());
        assertThat(plan).hasToString("cpu(): 3 worker(s)");
    }

    @Test
    void autoWithOneGpuRunsOneWorkerThere() {
        DevicePlan plan = DevicePlan.of(DeviceSpec.AUTO, ONE_GPU, 3);

        assertThat(plan.onGpu()).isTrue();
        assertThat(plan.devices()).containsExactly(Device.gpu(0));
        assertThat(plan.workers()).containsExactly(Device.gpu(0));
        assertThat(plan).hasToString("gpu(0): one worker per GPU");
    }

    @Test
    void autoWithTwoGpusLoadsTheModelOnEachAndGivesEachExactlyOneWorker() {
        DevicePlan plan = DevicePlan.of(DeviceSpec.AUTO, TWO_GPUS, 5);

        assertThat(plan.devices()).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThat(plan.workers()).as("cpu workers (5) do not apply on GPU").hasSize(2);
        for (Device gpu : TWO_GPUS) {
            assertThat(Collections.frequency(plan.workers(), gpu))
                    .as("workers on %s", gpu)
                    .isEqualTo(1);
        }
        assertThat(plan).hasToString("gpu(0), gpu(1): one worker per GPU");
    }

    @Test
    void cpuRunsTheConfiguredWorkersOnOneModelEvenWhenGpusAreThere() {
        DevicePlan plan = DevicePlan.of(DeviceSpec.CPU, TWO_GPUS, 4);

        assertThat(plan.devices()).containsExactly(Device.cpu());
        assertThat(plan.workers()).hasSize(4).containsOnly(Device.cpu());
    }

    @Test
    void gpuNUsesThatGpuAloneWithOneWorker() {
        DevicePlan plan = DevicePlan.of(DeviceSpec.parse("gpu:1"), TWO_GPUS, 4);

        assertThat(plan.devices()).containsExactly(Device.gpu(1));
        assertThat(plan.workers()).containsExactly(Device.gpu(1));
    }

    @Test
    void gpu1WhenOnlyOneGpuExistsIsAClearError() {
        assertThatThrownBy(() -> DevicePlan.of(DeviceSpec.parse("gpu:1"), ONE_GPU, 2))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "--device gpu:1 asked for GPU 1 but DJL sees 1 GPU(s): gpu:0 (numbered from"
                                + " 0)");
    }

    @Test
    void gpuWithoutAnyGpuSaysWhatToCheck() {
        assertThatThrownBy(() -> DevicePlan.of(DeviceSpec.parse("gpu"), NO_GPU, 2))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "--device gpu:0 asked for a GPU but DJL sees none: "
                                + DevicePlan.NO_GPU_HINT)
                .hasMessageContaining("NVIDIA driver")
                .hasMessageContaining("CUDA build");
    }

    @Test
    void fewerThanOneCpuWorkerIsRejected() {
        assertThatThrownBy(() -> DevicePlan.of(DeviceSpec.CPU, NO_GPU, 0))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("workers must be >= 1, got 0");
    }

    @Test
    void aWorkerOnADeviceOutsideThePlanIsRejected() {
        assertThatThrownBy(() -> new DevicePlan(List.of(Device.gpu(0)), List.of(Device.gpu(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisMachinesPlanMatchesWhatDjlSees() {
        int gpus = DjlEngine.pytorch().getGpuCount();

        DevicePlan plan = DevicePlan.forThisMachine(DeviceSpec.AUTO, 2);

        assertThat(DevicePlan.visibleGpus()).hasSize(gpus);
        assertThat(plan.workers()).hasSize(gpus > 0 ? gpus : 2);
    }
}
