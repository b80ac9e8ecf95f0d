package io.attnstream.pipeline;

import io.attnstream.platform.AttnstreamException;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The pipelines this build can run, by the name users type: the {@link Pipeline} services on the
 * classpath ({@code META-INF/services/io.attnstream.pipeline.Pipeline}, one line per pipeline, in
 * the order help lists them), so a new pipeline is its own package plus one service line.
 */
public final class PipelineCatalog {
    private PipelineCatalog() {}

    private static final List<Pipeline> ALL =
            ServiceLoader.load(Pipeline.class, PipelineCatalog.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();

    public static List<Pipeline> all() {
        return ALL;
    }

    /** "the traffic pipeline", or "the a, b pipelines": those with an attention top-k option. */
    public static String withAttentionTopK() {
        List<String> names =
                all().stream()
                        .filter(p -> p.attentionTopKOption().isPresent())
                        .map(Pipeline::name)
                        .toList();
        return "the " + String.join(", ", names) + (names.size() == 1 ? " pipeline" : " pipelines");
    }

    /**
     * The names users type, in catalogue order; picocli lists them in help as completion
     * candidates.
     */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return all().stream().map(Pipeline::name).iterator();
        }
    }

    public static Pipeline byName(String name) {
        return all().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AttnstreamException(
                                        "unknown pipeline '"
                                                + name
                                                + "'; available: "
                                                + String.join(
                                                        ", ",
                                                        all().stream()
                                                                .map(Pipeline::name)
                                                                .toList())));
    }
}
