package io.attnstream.inference;

import ai.djl.nn.Block;
import io.attnstream.platform.AttnstreamException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Rebuilds a model's DJL block from the {@code kind} and hyper-parameters in its model.json. Each model family
 * registers its factory here once (static initialisers of {@link KnownModels}).
 */
public final class BlockFactories {
    private static final Map<String, Function<Map<String, Object>, Block>> FACTORIES = new ConcurrentHashMap<>();

    static {
        KnownModels.registerAll();
    }

    private BlockFactories() {}

    public static void register(String kind, Function<Map<String, Object>, Block> factory) {
        FACTORIES.put(kind, factory);
    }

    public static Block build(String kind, Map<String, Object> hyperParameters, String where) {
        Function<Map<String, Object>, Block> f = FACTORIES.get(kind);
        if (f == null) {
            throw new AttnstreamException(where + ": unknown model kind '" + kind + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(FACTORIES.keySet())) + ")");
        }
        try {
            return f.apply(hyperParameters == null ? Map.of() : hyperParameters);
        } catch (RuntimeException e) {
            throw new AttnstreamException(where + ": hyper-parameters do not build a '" + kind + "' block: "
                    + e.getMessage(), e);
        }
    }
}
