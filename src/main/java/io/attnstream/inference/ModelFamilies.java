package io.attnstream.inference;

import ai.djl.nn.Block;
import io.attnstream.platform.AttnstreamException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@link ModelFamily} services on the classpath, by kind (looked up once, with the classloader
 * that loaded this class: on a Flink cluster the job jar's, which holds the families and their
 * service file). It rebuilds a model's block from its model.json and has its family read the
 * preprocessing, so a model.json the family cannot read fails as the model loads.
 */
public final class ModelFamilies {
    private static final Map<String, ModelFamily> FAMILIES = new ConcurrentHashMap<>();

    static {
        for (ModelFamily family :
                ServiceLoader.load(ModelFamily.class, ModelFamilies.class.getClassLoader())) {
            if (FAMILIES.putIfAbsent(family.kind(), family) != null) {
                throw new IllegalStateException(
                        "two model families of kind '"
                                + family.kind()
                                + "' on the classpath (one is "
                                + family.getClass().getName()
                                + ")");
            }
        }
    }

    private ModelFamilies() {}

    /**
     * A block factory besides the services (tests' own small models), whose models have no
     * preprocessing to read.
     */
    public static void register(String kind, Function<Map<String, Object>, Block> factory) {
        FAMILIES.put(
                kind,
                new ModelFamily() {
                    @Override
                    public String kind() {
                        return kind;
                    }

                    @Override
                    public Block block(Map<String, Object> hyperParameters) {
                        return factory.apply(hyperParameters);
                    }

                    @Override
                    public Record preprocessing(ModelSpec spec) {
                        return new ModelFamily.Untyped(spec.preprocessing());
                    }
                });
    }

    /** The kinds this build can load. */
    public static TreeSet<String> kinds() {
        return new TreeSet<>(FAMILIES.keySet());
    }

    /**
     * @param where what an error names, e.g. the model.json's path
     * @throws AttnstreamException naming {@code where} for an unknown kind
     */
    public static ModelFamily of(String kind, String where) {
        ModelFamily family = FAMILIES.get(kind);
        if (family == null) {
            throw new AttnstreamException(
                    where
                            + ": unknown model kind '"
                            + kind
                            + "' (known: "
                            + String.join(", ", kinds())
                            + ")");
        }
        return family;
    }

    /**
     * The untrained block of a model.json's kind and hyper-parameters.
     *
     * @throws AttnstreamException naming {@code where} for an unknown kind or hyper-parameters that
     *     do not build the kind's block
     */
    public static Block build(String kind, Map<String, Object> hyperParameters, String where) {
        ModelFamily family = of(kind, where);
        try {
            return family.block(hyperParameters == null ? Map.of() : hyperParameters);
        } catch (RuntimeException e) {
            throw new AttnstreamException(
                    where
                            + ": hyper-parameters do not build a '"
                            + kind
                            + "' block: "
                            + e.getMessage(),
                    e);
        }
    }
}
