package io.attnstream.inference;

import ai.djl.nn.Block;
import java.util.Map;

/**
 * A kind of model this build can load: the {@code kind} a model.json names and how to rebuild its
 * block from the hyper-parameters saved next to it. Families live in their pipeline's package and
 * are found with {@link java.util.ServiceLoader} (one line each in {@code
 * META-INF/services/io.attnstream.inference.ModelFamily}, merged by the shade plugin), so the
 * runtime never names a pipeline: a new family is a new package plus one service line.
 */
public interface ModelFamily {
    /** The model.json {@code kind}, e.g. {@code sequence-recommender}. */
    String kind();

    /**
     * The untrained block of these hyper-parameters; the parameters are loaded into it afterwards.
     */
    Block block(Map<String, Object> hyperParameters);
}
