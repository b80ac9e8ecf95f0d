package io.attnstream.inference;

import ai.djl.nn.Block;
import io.attnstream.platform.AttnstreamException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Rebuilds a model's DJL block from the {@code kind} and hyper-parameters in its model.json, with
 * the {@link ModelFamily} services on the classpath (looked up once, with the classloader that
 * loaded this class: on a Flink cluster the job jar's, which holds the families and their service
 * file).
 */
public final class BlockFactories {
    private static final Map<String, Function<Map<String, Object>, Block>> FACTORIES =
            new ConcurrentHashMap<>();

    static {
        for (ModelFamily family :
                ServiceLoader.load(ModelFamily.class, BlockFactories.class.getClassLoader())) {
            if (FACTORIES.putIfAbsent(family.kind(), family::block) != null) {
                throw new IllegalStateException(
                        "two model families of kind '"
                                + family.kind()
                                + "' on the classpath"
                                + " (one is "
                                + family.getClass().getName()
                                + ")");
            }
        }
    }

    private BlockFactories() {}

    /** A factory besides the services (tests' own small models). */
    public static void register(String kind, Function<Map<String, Object>, Block> factory) {
        FACTORIES.put(kind, factory);
    }

    /** The kinds this build can load. */
    public static TreeSet<String> kinds() {
        return new TreeSet<>(FACTORIES.keySet());
    }

    public static Block build(String kind, Map<String, Object> hyperParameters, String where) {
        Function<Map<String, Object>, Block> f = FACTORIES.get(kind);
        if (f == null) {
            throw new AttnstreamException(
                    where
                            + ": unknown model kind '"
                            + kind
                            + "' (known: "
                            + String.join(", ", kinds())
                            + ")");
        }
        try {
            return f.apply(hyperParameters == null ? Map.of() : hyperParameters);
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
