package io.attnstream.inference;

import ai.djl.nn.Block;
import io.attnstream.platform.AttnstreamException;
import java.util.Map;

/**
 * A kind of model this build can load: the {@code kind} a model.json names, how to rebuild its
 * block from the hyper-parameters saved next to it, and how to read its preprocessing. Families
 * live in their pipeline's package and are found with {@link java.util.ServiceLoader} (one line
 * each in {@code META-INF/services/io.attnstream.inference.ModelFamily}, merged by the shade
 * plugin), so the runtime never names a pipeline: a new family is a new package plus one service
 * line.
 */
public interface ModelFamily {
    /** The model.json {@code kind}, e.g. {@code sequence-recommender}. */
    String kind();

    /**
     * The untrained block of these hyper-parameters; the parameters are loaded into it afterwards.
     */
    Block block(Map<String, Object> hyperParameters);

    /**
     * The model.json's {@code preprocessing} (and whatever else feeding the model needs) read once
     * into the family's typed record, every value checked: {@link ModelStore#load} calls it, so a
     * model.json the family cannot read fails as the model loads, with one line naming the model
     * and the key, instead of in a job's set-up or at its first record.
     *
     * @throws AttnstreamException naming the model and the key
     */
    Record preprocessing(ModelSpec spec);

    /** The preprocessing of a family that reads none: the values as model.json holds them. */
    record Untyped(Map<String, Object> values) {}
}
