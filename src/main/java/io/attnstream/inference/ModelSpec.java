package io.attnstream.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model directory's {@code model.json}: what the model is, how to rebuild its block, the shapes
 * it takes and gives, its preprocessing (normalisation or vocabulary), where its training data came
 * from, how it scored, and the parameter file with its checksum.
 *
 * @param kind block factory name ({@link ModelFamilies}), e.g. "sequence-recommender"
 * @param hyperParameters what the factory needs to rebuild the block
 * @param inputs input tensors; shape -1 marks the batch dimension
 * @param outputs output tensors, same convention
 * @param preprocessing normalisation constants or vocabulary, model-specific
 * @param trainingData fingerprint (sha256 of the data files) and a description of the training data
 * @param metrics evaluation metrics at training time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("kind") String kind,
        @JsonProperty("hyper_parameters") Map<String, Object> hyperParameters,
        @JsonProperty("inputs") List<TensorSpec> inputs,
        @JsonProperty("outputs") List<TensorSpec> outputs,
        @JsonProperty("preprocessing") Map<String, Object> preprocessing,
        @JsonProperty("training_data") Map<String, Object> trainingData,
        @JsonProperty("metrics") Map<String, Object> metrics,
        @JsonProperty("parameters") ParameterFile parameters,
        @JsonProperty("created_at") String createdAt)
        implements Serializable {

    /** A tensor's name, data type and shape (-1 = batch dimension). */
    public record TensorSpec(
            @JsonProperty("name") String name,
            @JsonProperty("dtype") String dtype,
            @JsonProperty("shape") long[] shape)
            implements Serializable {
        @Override
        public boolean equals(Object o) {
            return o instanceof TensorSpec t
                    && Objects.equals(name, t.name)
                    && Objects.equals(dtype, t.dtype)
                    && Arrays.equals(shape, t.shape);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, Arrays.hashCode(shape));
        }

        @Override
        public String toString() {
            return name + ":" + dtype + Arrays.toString(shape);
        }
    }

    /** The parameter file (relative to the model directory) and its SHA-256. */
    public record ParameterFile(
            @JsonProperty("file") String file, @JsonProperty("sha256") String sha256)
            implements Serializable {}

    /** "name@version", how logs and outputs name a model. */
    public String ref() {
        return name + "@" + version;
    }

    public ModelSpec withParameters(ParameterFile p) {
        return new ModelSpec(
                name,
                version,
                kind,
                hyperParameters,
                inputs,
                outputs,
                preprocessing,
                trainingData,
                metrics,
                p,
                createdAt);
    }
}
