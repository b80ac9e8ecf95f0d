package io.attnstream.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.inference.ModelFamilies;
import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers, read from the sources: the runtime, the platform, the shared layers and the pipeline
 * SPI never name a pipeline (or the CLI, the demo or the benchmarks built on them), nor does the
 * CLI, which finds each pipeline's commands as services; inside a pipeline, the roles point down
 * (image codecs, then data loaders, then the model; the job, training, evaluation and simulators on
 * top) and pipelines never import each other; model families are found as services, each listed
 * once.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/io/attnstream");
    private static final Pattern UPPER_LAYER =
            Pattern.compile("io\\.attnstream\\.(clicks|traffic|video|pipeline|bench|cli|demo)\\b");
    private static final Pattern PIPELINE =
            Pattern.compile("io\\.attnstream\\.(clicks|traffic|video)\\b");
    private static final Pattern PIPELINE_OR_TOOL =
            Pattern.compile("io\\.attnstream\\.(clicks|traffic|video|bench|cli|demo)\\b");
    private static final Pattern FAMILY = Pattern.compile("class (\\w+) implements ModelFamily\\b");

    @Test
    void theRuntimeThePipelineSpiAndTheCliNameNoPipeline() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String layer : List.of("inference", "platform", "nn", "pipeline", "cli")) {
            // the pipeline SPI names itself and the runtime below it; the CLI finds the pipelines'
            // commands as services and runs the demo and the benchmarks
            Pattern upper =
                    switch (layer) {
                        case "pipeline" -> PIPELINE_OR_TOOL;
                        case "cli" -> PIPELINE;
                        default -> UPPER_LAYER;
                    };
            try (Stream<Path> files = Files.walk(MAIN.resolve(layer))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (upper.matcher(lines.get(i)).find()) {
                            offences.add(
                                    MAIN.relativize(f)
                                            + ":"
                                            + (i + 1)
                                            + ": "
                                            + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    /**
     * What each lower role of a pipeline may import from its own pipeline; the upper roles may
     * import any of them.
     */
    private static final Map<String, List<String>> LOWER_ROLES =
            Map.of(
                    "image", List.of(),
                    "data", List.of("image"),
                    "model", List.of("image", "data"));

    private static final List<String> PIPELINES = List.of("clicks", "traffic", "video");

    @Test
    void pipelineRolesPointDownAndPipelinesStayApart() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String pipeline : PIPELINES) {
            Pattern ownImport =
                    Pattern.compile("^import io\\.attnstream\\." + pipeline + "\\.(\\w+)\\.");
            Pattern otherPipeline =
                    Pattern.compile(
                            "io\\.attnstream\\.(?!" + pipeline + "\\b)(clicks|traffic|video)\\b");
            try (Stream<Path> files = Files.walk(MAIN.resolve(pipeline))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String role = MAIN.resolve(pipeline).relativize(f).getName(0).toString();
                    List<String> allowed = LOWER_ROLES.get(role);
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        Matcher m = ownImport.matcher(line);
                        boolean upward =
                                allowed != null
                                        && m.find()
                                        && !m.group(1).equals(role)
                                        && !allowed.contains(m.group(1));
                        if (upward || otherPipeline.matcher(line).find()) {
                            offences.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void pipelineClassesLiveInRolePackages() throws IOException {
        List<String> loose = new ArrayList<>();
        for (String pipeline : PIPELINES) {
            try (Stream<Path> files = Files.list(MAIN.resolve(pipeline))) {
                files.filter(p -> p.toString().endsWith(".java"))
                        .forEach(p -> loose.add(MAIN.relativize(p).toString()));
            }
        }
        assertThat(loose).isEmpty();
    }

    @Test
    void everyModelFamilyIsAServiceAndLoads() throws IOException {
        List<String> families = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = FAMILY.matcher(Files.readString(f));
                if (m.find()) {
                    String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                    families.add("io.attnstream." + pkg + "." + m.group(1));
                }
            }
        }
        List<String> services =
                Files.readAllLines(
                                Path.of(
                                        "src/main/resources/META-INF/services/"
                                                + "io.attnstream.inference.ModelFamily"))
                        .stream()
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .toList();
        assertThat(services).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(families);
        assertThat(ModelFamilies.kinds())
                .contains(
                        "sequence-recommender",
                        "traffic-forecaster",
                        "video-segmenter",
                        "constant-outputs");
    }

    @Test
    void everyPipelineIsAServiceInHelpOrder() throws IOException {
        Pattern pipelineClass = Pattern.compile("class (\\w+) implements Pipeline\\b");
        List<String> pipelines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = pipelineClass.matcher(Files.readString(f));
                if (m.find()) {
                    String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                    pipelines.add("io.attnstream." + pkg + "." + m.group(1));
                }
            }
        }
        List<String> services =
                Files.readAllLines(
                                Path.of(
                                        "src/main/resources/META-INF/services/"
                                                + "io.attnstream.pipeline.Pipeline"))
                        .stream()
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .toList();
        assertThat(services).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(pipelines);
        assertThat(services("io.attnstream.cli.PipelineCommands"))
                .containsExactlyInAnyOrderElementsOf(implementations("PipelineCommands"));
        assertThat(PipelineCatalog.all())
                .extracting(Pipeline::name)
                .containsExactly("traffic", "clicks", "video");
    }

    /** The classes under src/main that implement {@code type}, by their qualified names. */
    private static List<String> implementations(String type) throws IOException {
        Pattern implementing = Pattern.compile("class (\\w+) implements " + type + "\\b");
        List<String> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = implementing.matcher(Files.readString(f));
                if (m.find()) {
                    String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                    classes.add("io.attnstream." + pkg + "." + m.group(1));
                }
            }
        }
        return classes;
    }

    /** The lines of a service file, each listed once. */
    private static List<String> services(String type) throws IOException {
        List<String> lines =
                Files.readAllLines(Path.of("src/main/resources/META-INF/services/" + type)).stream()
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .toList();
        assertThat(lines).as(type).doesNotHaveDuplicates();
        return lines;
    }
}
