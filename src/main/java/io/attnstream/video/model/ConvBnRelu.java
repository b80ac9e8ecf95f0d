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
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.attnstream.nn.BlockSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A k x k convolution with "same" padding, BatchNorm and ReLU: the unit every stage of {@link
 * AttentionUNetBlock} is built from. The convolution has no bias because BatchNorm's shift (beta)
 * takes its place.
 *
 * <p>Dimensions: B batch, Cin input channels, Cout output channels (the filters), h x w spatial
 * size.
 *
 * <p>Input: {@code NDList(x (B, Cin, h, w))}. Output: {@code NDList(y (B, Cout, h, w))}.
 *
 * <p>Parameters: k k Cin Cout weights, and BatchNorm's 4 Cout (gamma and beta are learnt; the
 * running mean and variance are statistics, which inference uses instead of the batch's).
 */
public final class ConvBnRelu extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] SETTING_NAMES = {"filters", "kernel"};

    private final int filters;
    private final int kernel;
    private final Conv2d conv;
    private final BatchNorm norm;

    private ConvBnRelu(int filters, int kernel) {
        super(VERSION);
        this.filters = filters;
        this.kernel = kernel;
        conv =
                addChildBlock(
                        "conv",
                        Conv2d.builder()
                                .setKernelShape(new Shape(kernel, kernel))
                                .optPadding(new Shape(kernel / 2, kernel / 2))
                                .setFilters(filters)
                                .optBias(false)
                                .build());
        norm = addChildBlock("norm", BatchNorm.builder().optAxis(1).build());
    }

    /**
     * @param filters Cout, positive
     * @param kernel k, odd and positive, so that "same" padding keeps h x w
     */
    public static ConvBnRelu of(int filters, int kernel) {
        BlockSettings.requirePositive("filters", filters);
        if (kernel <= 0 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd and positive, got " + kernel);
        }
        return new ConvBnRelu(filters, kernel);
    }

    public int getFilters() {
        return filters;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = conv.forward(ps, inputs, training).singletonOrThrow(); // (B, Cout, h, w)
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, Cout, h, w)
        return new NDList(Activation.relu(x)); // (B, Cout, h, w)
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]); // (B, Cin, h, w)
        norm.initialize(manager, dataType, getOutputShapes(inputShapes)[0]); // (B, Cout, h, w)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0]; // (B, Cin, h, w)
        return new Shape[] {new Shape(x.get(0), filters, x.get(2), x.get(3))};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        BlockSettings.write(os, filters, kernel);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "ConvBnRelu parameters have version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        BlockSettings.check(is, "ConvBnRelu", SETTING_NAMES, new int[] {filters, kernel});
    }
}
