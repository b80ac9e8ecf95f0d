package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.attnstream.platform.AttnstreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DjlEngineTest {

    @Test
    void pytorchEngineLoadsOffline() {
        Engine engine = DjlEngine.pytorch();

        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(engine.getEngineName()).isEqualTo("PyTorch").isEqualTo(DjlEngine.ENGINE_NAME);
        assertThat(DjlEngine.pytorch()).as("loaded once per JVM").isSameAs(engine);
    }

    @Test
    void cpuSpecResolvesToCpu() {
        assertThat(DjlEngine.device(DeviceSpec.CPU)).isEqualTo(Device.cpu());
    }

    @Test
    void autoSpecResolvesToCpuWithoutGpusAndToGpu0WithThem() {
        Device expected = DjlEngine.pytorch().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();

        assertThat(DjlEngine.device(DeviceSpec.AUTO)).isEqualTo(expected);
    }

    @Test
    void askingForAMissingGpuIsAnAttnstreamException() {
        assumeTrue(DjlEngine.pytorch().getGpuCount() == 0, "machine has a GPU");

        assertThatThrownBy(() -> DjlEngine.device(DeviceSpec.parse("gpu:7")))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "--device gpu:7 asked for a GPU but DJL sees none: "
                                + DevicePlan.NO_GPU_HINT);
    }

    @Test
    void deviceSpecParsesTheDocumentedForms() {
        assertThat(DeviceSpec.parse("auto")).isEqualTo(DeviceSpec.AUTO);
        assertThat(DeviceSpec.parse("cpu")).isEqualTo(DeviceSpec.CPU);
        assertThat(DeviceSpec.parse("gpu")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.GPU, 0));
        assertThat(DeviceSpec.parse("gpu:1")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.GPU, 1));
        assertThat(DeviceSpec.parse(" GPU:3 ")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.GPU, 3));
    }

    @Test
    void deviceSpecToStringRoundTrips() {
        for (String text : new String[] {"auto", "cpu", "gpu:0", "gpu:2"}) {
            assertThat(DeviceSpec.parse(text).toString()).isEqualTo(text);
        }
        assertThat(DeviceSpec.parse("gpu").toString()).isEqualTo("gpu:0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu:-1", "tpu", "gpu:x", "gpu:", "", "cpu:0"})
    void badDeviceSpecIsRejectedNamingTheValue(String bad) {
        assertThatThrownBy(() -> DeviceSpec.parse(bad))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("device must be auto, cpu, gpu or gpu:N (N >= 0), got '" + bad + "'");
    }

    @Test
    void linearForwardPassGivesExactValues() throws TranslateException {
        Engine engine = DjlEngine.pytorch();
        try (NDManager manager = engine.newBaseManager(Device.cpu());
                Model model =
                        Model.newInstance("linear-test", Device.cpu(), engine.getEngineName())) {
            Linear linear = Linear.builder().setUnits(2).build();
            model.setBlock(linear);
            linear.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
            Parameter weight = linear.getParameters().get("weight");
            Parameter bias = linear.getParameters().get("bias");
            assertThat(weight.getArray().getShape()).isEqualTo(new Shape(2, 3));
            assertThat(bias.getArray().getShape()).isEqualTo(new Shape(2));
            weight.getArray().set(new float[] {1, 2, 3, -1, 0.5f, 0.25f}); // rows are output units
            bias.getArray().set(new float[] {0.5f, -2});

            NDArray input = manager.create(new float[] {1, 2, 4}, new Shape(1, 3));
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
                NDList output = predictor.predict(new NDList(input));

                // y0 = 1*1 + 2*2 + 3*4 + 0.5 = 17.5;  y1 = -1*1 + 0.5*2 + 0.25*4 - 2 = -1
                assertThat(output).hasSize(1);
                assertThat(output.singletonOrThrow().getShape()).isEqualTo(new Shape(1, 2));
                assertThat(output.singletonOrThrow().toFloatArray()).containsExactly(17.5f, -1f);
            }
        }
    }
}
