package io.attnstream.pipeline;

import io.attnstream.platform.AttnstreamException;
import java.util.Iterator;
import java.util.List;

/** The pipelines this build can run, by the name users type. */
public final class PipelineCatalog {
    private PipelineCatalog() {}

    public static List<Pipeline> all() {
        return List.of(new TrafficPipeline(), new ClicksPipeline(), new VideoPipeline());
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
