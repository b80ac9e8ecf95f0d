package io.attnstream.video.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.attnstream.nn.BlockSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The additive attention gate of Attention U-Net (Oktay et al. 2018, eq. 1-2, grid attention as in
 * their code): the coarser decoder feature g decides, per pixel, how much of the encoder's skip
 * feature x passes to the decoder. The coefficients are computed at g's (coarser) resolution, which
 * is cheaper and what the paper does, then resized bilinearly to x's.
 *
 * <pre>
 *   theta = Conv 2x2 stride 2 (x), no bias          (B, F, h/2, w/2)
 *   phi   = Conv 1x1 (g) + b_g                       (B, F, h/2, w/2)
 *   q     = Conv 1x1 (ReLU(theta + phi)) + b_psi     (B, 1, h/2, w/2)
 *   alpha = Bilinear(sigmoid(q), h x w)              (B, 1, h, w), in [0, 1]
 *   out   = x * alpha                                (B, Cx, h, w)
 * </pre>
 *
 * <p>Dimensions: B batch, Cx skip channels, Cg gating channels, F intermediate channels, h x w the
 * skip's size (even), h/2 x w/2 the gating signal's.
 *
 * <p>Input: {@code NDList(x (B, Cx, h, w), g (B, Cg, h/2, w/2))}. Output: {@code NDList(out (B, Cx,
 * h, w), alpha (B, 1, h, w))}.
 *
 * <p>Parameters: 4 Cx F (theta) + Cg F + F (phi) + F + 1 (psi).
 */
public final class AttentionGate extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] SETTING_NAMES = {"intermediate"};

    private final int intermediate;
    private final Conv2d theta;
    private final Conv2d phi;
    private final Conv2d psi;

    private AttentionGate(int intermediate) {
        super(VERSION);
        this.intermediate = intermediate;
        theta =
                addChildBlock(
                        "theta",
                        Conv2d.builder()
                                .setKernelShape(new Shape(2, 2))
                                .optStride(new Shape(2, 2))
                                .setFilters(intermediate)
                                .optBias(false)
                                .build());
        phi =
                addChildBlock(
                        "phi",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(intermediate)
                                .build());
        psi =
                addChildBlock(
                        "psi",
                        Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build());
    }

    /**
     * @param intermediate F, positive
     */
    public static AttentionGate of(int intermediate) {
        BlockSettings.requirePositive("intermediate channels F", intermediate);
        return new AttentionGate(intermediate);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, Cx, h, w)
        NDArray g = inputs.get(1); // (B, Cg, h/2, w/2)
        checkShapes(x.getShape(), g.getShape());
        NDArray thetaX =
                theta.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, F, h/2, w/2)
        NDArray phiG =
                phi.forward(ps, new NDList(g), training).singletonOrThrow(); // (B, F, h/2, w/2)
        NDArray f = Activation.relu(thetaX.add(phiG)); // (B, F, h/2, w/2)
        NDArray q = psi.forward(ps, new NDList(f), training).singletonOrThrow(); // (B, 1, h/2, w/2)
        NDArray alpha =
                Bilinear.resize(
                        Activation.sigmoid(q),
                        x.getShape().get(2),
                        x.getShape().get(3)); // (B, 1, h, w)
        return new NDList(x.mul(alpha), alpha); // (B, Cx, h, w), (B, 1, h, w)
    }

    private static void checkShapes(Shape x, Shape g) {
        if (x.dimension() != 4
                || g.dimension() != 4
                || x.get(2) != 2 * g.get(2)
                || x.get(3) != 2 * g.get(3)) {
            throw new IllegalArgumentException(
                    "AttentionGate expects x (B, Cx, h, w) and g (B, Cg, h/2, w/2), got "
                            + x
                            + " and "
                            + g);
        }
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, Cx, h, w)
        Shape g = inputShapes[1]; // (B, Cg, h/2, w/2)
        checkShapes(x, g);
        theta.initialize(manager, dataType, x);
        phi.initialize(manager, dataType, g);
        psi.initialize(
                manager,
                dataType,
                new Shape(g.get(0), intermediate, g.get(2), g.get(3))); // (B, F, h/2, w/2)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0]; // (B, Cx, h, w)
        return new Shape[] {x, new Shape(x.get(0), 1, x.get(2), x.get(3))};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        BlockSettings.write(os, intermediate);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "AttentionGate parameters have version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        BlockSettings.check(is, "AttentionGate", SETTING_NAMES, new int[] {intermediate});
    }
}
