package io.attnstream.video.model;

import static io.attnstream.nn.NnFixtures.infer;
import static io.attnstream.nn.NnFixtures.parameterCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.DjlEngine;
import org.junit.jupiter.api.Test;

class AttentionGateTest {
    private static final Shape SKIP = new Shape(2, 6, 8, 10); // (B, Cx, h, w)
    private static final Shape GATING = new Shape(2, 5, 4, 5); // (B, Cg, h/2, w/2)

    @Test
    void scalesTheSkipByCoefficientsInTheUnitIntervalAtTheSkipsSize() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("gate")) {
            AttentionGate gate = AttentionGate.of(4);
            model.setBlock(gate);
            gate.initialize(model.getNDManager(), DataType.FLOAT32, SKIP, GATING);
            Engine.getEngine(DjlEngine.ENGINE_NAME).setRandomSeed(3);
            NDArray x = manager.randomNormal(SKIP);
            NDArray g = manager.randomNormal(GATING).mul(4f);

            NDList out = infer(gate, manager, x, g);

            NDArray alpha = out.get(1); // (B, 1, h, w)
            assertThat(out.getShapes()).containsExactly(SKIP, new Shape(2, 1, 8, 10));
            assertThat(alpha.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(alpha.max().getFloat()).isLessThanOrEqualTo(1f);
            assertThat(alpha.max().getFloat() - alpha.min().getFloat())
                    .as("coefficients vary")
                    .isGreaterThan(0.05f);
            assertThat(out.get(0).toFloatArray())
                    .containsExactly(x.mul(alpha).toFloatArray(), within(1e-6f));
        }
    }

    @Test
    void parametersAreThetaTwoByTwoPhiAndPsi() {
        try (Model model = Model.newInstance("gate")) {
            AttentionGate gate = AttentionGate.of(4);
            model.setBlock(gate);
            gate.initialize(model.getNDManager(), DataType.FLOAT32, SKIP, GATING);

            assertThat(parameterCount(gate)).isEqualTo(4L * 6 * 4 + (5 * 4 + 4) + (4 + 1));
        }
    }

    @Test
    void aGatingSignalNotHalfTheSkipsSizeIsRejected() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("gate")) {
            AttentionGate gate = AttentionGate.of(4);
            model.setBlock(gate);
            gate.initialize(model.getNDManager(), DataType.FLOAT32, SKIP, GATING);

            assertThatThrownBy(
                            () ->
                                    infer(
                                            gate,
                                            manager,
                                            manager.zeros(SKIP),
                                            manager.zeros(new Shape(2, 5, 8, 10))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "AttentionGate expects x (B, Cx, h, w) and g (B, Cg, h/2, w/2), got (2,"
                                    + " 6, 8, 10) and (2, 5, 8, 10)");
        }
    }
}
