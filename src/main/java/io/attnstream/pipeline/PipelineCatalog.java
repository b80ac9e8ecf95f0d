package io.attnstream.pipeline;

import io.attnstream.platform.AttnstreamException;

import java.util.List;

/** The pipelines this build can run, by the name users type. */
public final class PipelineCatalog {
    private PipelineCatalog() {}

    public static List<Pipeline> all() {
        return List.of(new TrafficPipeline(), new ClicksPipeline(), new VideoPipeline());
    }

    public static Pipeline byName(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AttnstreamException("unknown pipeline '" + name + "'; available: "
                        + String.join(", ", all().stream().map(Pipeline::name).toList())));
    }
}
