package io.attnstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The docker/ files against the rest of the repository, without Docker (none runs here): what the
 * Dockerfiles COPY exists or is built by the pom, compose's build and bind paths exist, image
 * versions follow pom.xml, ports follow flink-conf/config.yaml, every pipeline has one submitter
 * and one producer on the broker's internal listener, and the containers' config loads DJL
 * parent-first. Every expected value is read from the repository. Each check returns the problems
 * it finds; the tests at the end feed it broken files to show it would catch them.
 */
class DockerFilesTest {
    private static final Path ROOT = repoRoot();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final List<String> DOCKERFILES = List.of("Dockerfile", "Dockerfile.gpu");
    private static final List<String> COMPOSE_FILES = List.of("compose.yaml", "compose.gpu.yaml");

    /** Where the official image's entrypoint and our Dockerfiles keep Flink's configuration. */
    private static final String CONTAINER_CONFIG = "/opt/flink/conf/config.yaml";

    // ---------------------------------------------------------------- checks on the real files

    @Test
    void dockerfilesCopyRepoFilesThatExistAndTargetFilesThePomBuilds() throws IOException {
        Set<String> built = pomBuiltTargets(read(ROOT.resolve("pom.xml")));
        assertThat(built)
                .as("targets pom.xml builds")
                .contains("target/attnstream.jar", "target/flink-lib");
        for (String name : DOCKERFILES) {
            Dockerfile df = Dockerfile.parse(read(DOCKER.resolve(name)));
            assertThat(copyProblems(df, ROOT, built)).as("docker/%s COPY sources", name).isEmpty();
            // DJL must be in Flink's lib/ (parent-first), the job jar in usrlib/, our config where
            // Flink reads it.
            assertThat(df.copyDestinations())
                    .as("docker/%s COPY destinations", name)
                    .containsEntry("target/flink-lib", "/opt/flink/lib/")
                    .containsEntry("target/attnstream.jar", "/opt/flink/usrlib/attnstream.jar")
                    .containsEntry("flink-conf/config.yaml", CONTAINER_CONFIG);
        }
    }

    @Test
    void dockerignoreFilesLetEveryCopySourceThrough() throws IOException {
        for (String name : DOCKERFILES) {
            Path ignore = DOCKER.resolve(name + ".dockerignore");
            assertThat(ignore).as("BuildKit's context filter for docker/%s", name).exists();
            Dockerfile df = Dockerfile.parse(read(DOCKER.resolve(name)));
            assertThat(ignoreProblems(df, read(ignore)))
                    .as("docker/%s.dockerignore", name)
                    .isEmpty();
        }
    }

    @Test
    void composeBuildPathsBindMountsAndVolumesExist() throws IOException {
        for (String name : COMPOSE_FILES) {
            assertThat(composePathProblems(compose(name), DOCKER)).as("docker/%s", name).isEmpty();
        }
    }

    @Test
    void imageVersionsFollowThePom() throws IOException {
        String pom = read(ROOT.resolve("pom.xml"));
        String flinkVersion = pomProperty(pom, "flink.version");
        String kafkaVersion = pomProperty(pom, "kafka.version");
        for (String name : DOCKERFILES) {
            Dockerfile df = Dockerfile.parse(read(DOCKER.resolve(name)));
            assertThat(flinkImageProblems(df, flinkVersion)).as("docker/%s FROM", name).isEmpty();
        }
        assertThat(kafkaImageProblems(compose("compose.yaml"), kafkaVersion)).isEmpty();
    }

    @Test
    void composePortsAgreeWithConfigYaml() throws IOException {
        Map<String, Object> flinkConf =
                flatten(new Yaml().load(read(ROOT.resolve("flink-conf/config.yaml"))));
        assertThat(portProblems(compose("compose.yaml"), flinkConf)).isEmpty();
    }

    @Test
    void everyPipelineHasOneSubmitterAndOneProducer() throws IOException {
        List<String> pipelines = PipelineCatalog.all().stream().map(Pipeline::name).toList();
        assertThat(pipelines).as("pipelines in PipelineCatalog").isNotEmpty();
        assertThat(pipelineServiceProblems(compose("compose.yaml"), pipelines)).isEmpty();
    }

    @Test
    void everyBootstrapServersIsTheBrokersInternalListener() throws IOException {
        assertThat(bootstrapProblems(compose("compose.yaml"))).isEmpty();
    }

    @Test
    void submittersAndTaskManagersShareTheModelStore() throws IOException {
        assertThat(modelRootProblems(compose("compose.yaml"))).isEmpty();
        assertThat(modelRootProblems(compose("compose.yaml", "compose.gpu.yaml"))).isEmpty();
    }

    @Test
    void theContainersConfigLoadsDjlParentFirst() throws IOException {
        for (String name : DOCKERFILES) {
            Dockerfile df = Dockerfile.parse(read(DOCKER.resolve(name)));
            String source =
                    df.copyDestinations().entrySet().stream()
                            .filter(e -> e.getValue().equals(CONTAINER_CONFIG))
                            .map(Map.Entry::getKey)
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    name + " copies no " + CONTAINER_CONFIG));
            Map<String, Object> conf = flatten(new Yaml().load(read(ROOT.resolve(source))));
            assertThat(djlParentFirstProblems(conf, flinkProperties(compose("compose.yaml"))))
                    .as("%s as docker/%s installs it", source, name)
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------- the checks catch broken
    // files

    @Test
    void aCopyOfAMissingFileOrOfATargetThePomDoesNotBuildIsReported() {
        Dockerfile df =
                Dockerfile.parse(
                        """
                        FROM flink:2.2.1-java17
                        COPY --chown=flink:flink target/flink-libs/ /opt/flink/lib/
                        COPY flink-conf/no-such.yaml \\
                             /opt/flink/conf/config.yaml
                        COPY --from=flink /opt/flink /opt/flink
                        """);
        assertThat(copyProblems(df, ROOT, Set.of("target/attnstream.jar", "target/flink-lib")))
                .containsExactly(
                        "target/flink-libs is not built by pom.xml",
                        "flink-conf/no-such.yaml does not exist");
        assertThat(ignoreProblems(df, "*\n!target/flink-lib\n!flink-conf/config.yaml\n"))
                .containsExactly(
                        "target/flink-libs is excluded from the build context",
                        "flink-conf/no-such.yaml is excluded from the build context");
    }

    @Test
    void wrongVersionsPortsAndListenersAreReported() {
        Map<String, Object> compose =
                yaml(
                        // CHECKSTYLE.OFF: LineLength|RegexpSinglelineJava (a verbatim sample)
                        """
                        x-env: &env
                          FLINK_PROPERTIES: |
                            jobmanager.rpc.port: 6124
                            rest.port: 8081
                        services:
                          kafka:
                            image: apache/kafka:4.1.0
                            environment:
                              KAFKA_ADVERTISED_LISTENERS: INTERNAL://kafka:19092,HOST://localhost:9092
                          jobmanager:
                            command: [jobmanager]
                            environment: *env
                            ports: ["8082:8082"]
                          submit-traffic:
                            command: [flink, run, -d, -m, "jobmanager:8082", x.jar, run, traffic, --bootstrap-servers, "localhost:9092"]
                          produce-traffic:
                            command: [attnstream, produce, traffic, --bootstrap-servers, "kafka:19092"]
                          produce-traffic-2:
                            command: [attnstream, produce, traffic, --bootstrap-servers, "kafka:19092"]
                        volumes: {}
                        """);
        // CHECKSTYLE.ON: LineLength|RegexpSinglelineJava
        Map<String, Object> conf = Map.of("rest.port", 8081, "jobmanager.rpc.port", 6123);
        assertThat(kafkaImageProblems(compose, "4.2.2"))
                .containsExactly("kafka image apache/kafka:4.1.0 is not Kafka 4.2");
        assertThat(
                        flinkImageProblems(
                                Dockerfile.parse("FROM flink:2.2.0-scala_2.12-java17\n"), "2.2.1"))
                .containsExactly("flink:2.2.0-scala_2.12-java17 is not Flink 2.2.1");
        assertThat(portProblems(compose, conf))
                .containsExactlyInAnyOrder(
                        "jobmanager publishes no container port 8081 (rest.port)",
                        "FLINK_PROPERTIES of jobmanager: jobmanager.rpc.port is 6124, config.yaml"
                                + " has 6123",
                        "submit-traffic submits to jobmanager:8082, not jobmanager:8081");
        assertThat(bootstrapProblems(compose))
                .containsExactly(
                        "submit-traffic uses --bootstrap-servers localhost:9092, not the internal"
                                + " listener kafka:19092");
        assertThat(pipelineServiceProblems(compose, List.of("traffic", "video")))
                .containsExactly(
                        "traffic has 2 producers: [produce-traffic, produce-traffic-2]",
                        "video has 0 submitters: []",
                        "video has 0 producers: []");
        assertThat(
                        djlParentFirstProblems(
                                Map.of(
                                        "classloader.parent-first-patterns.additional",
                                        "org.apache.avro."),
                                Map.of()))
                .containsExactly(
                        "classloader.parent-first-patterns.additional is [org.apache.avro.],"
                                + " without ai.djl.");
    }

    @Test
    void missingBuildFilesBindMountsAndModelVolumesAreReported() {
        Map<String, Object> compose =
                yaml(
                        // CHECKSTYLE.OFF: LineLength|RegexpSinglelineJava (a verbatim sample)
                        """
                        services:
                          taskmanager:
                            build: {context: .., dockerfile: docker/Dockerfile.cuda}
                            command: [taskmanager]
                            volumes: ["../no-such-dir:/data", "checkpoints:/var/lib/attnstream/checkpoints"]
                          submit-clicks:
                            command: [flink, run, -m, "jobmanager:8081", x.jar, run, clicks, -D, "attnstream.models.root=/models"]
                            volumes: ["models:/models"]
                        volumes: {models: {}}
                        """);
        // CHECKSTYLE.ON: LineLength|RegexpSinglelineJava
        assertThat(composePathProblems(compose, DOCKER))
                .containsExactly(
                        "taskmanager: dockerfile ../docker/Dockerfile.cuda does not exist",
                        "taskmanager: bind mount ../no-such-dir does not exist",
                        "taskmanager: volume checkpoints is not declared under volumes");
        assertThat(modelRootProblems(compose))
                .containsExactly(
                        "taskmanager does not mount /models (submit-clicks's models root)");
    }

    // ---------------------------------------------------------------- the checks

    /**
     * COPY sources from the repository: under target/ only what the pom builds, elsewhere only
     * existing files.
     */
    static List<String> copyProblems(Dockerfile df, Path root, Set<String> builtTargets) {
        List<String> problems = new ArrayList<>();
        for (String source : df.repoCopySources()) {
            if (source.startsWith("target/")) {
                if (!builtTargets.contains(source)) {
                    problems.add(source + " is not built by pom.xml");
                }
            } else if (!Files.exists(root.resolve(source))) {
                problems.add(source + " does not exist");
            }
        }
        return problems;
    }

    /**
     * The Dockerfile's .dockerignore (an allow-list: "*" and then "!path") must let each COPY
     * source through.
     */
    static List<String> ignoreProblems(Dockerfile df, String dockerignore) {
        List<String> allowed =
                dockerignore
                        .lines()
                        .map(String::strip)
                        .filter(l -> l.startsWith("!"))
                        .map(l -> trimSlash(l.substring(1)))
                        .toList();
        List<String> problems = new ArrayList<>();
        for (String source : df.repoCopySources()) {
            if (allowed.stream().noneMatch(a -> source.equals(a) || source.startsWith(a + "/"))) {
                problems.add(source + " is excluded from the build context");
            }
        }
        return problems;
    }

    static List<String> composePathProblems(Map<String, Object> compose, Path composeDir) {
        List<String> problems = new ArrayList<>();
        Set<String> declared = map(compose.get("volumes")).keySet();
        for (var service : services(compose).entrySet()) {
            String name = service.getKey();
            Map<String, Object> s = map(service.getValue());
            if (s.get("build") != null) {
                Map<String, Object> build =
                        s.get("build") instanceof String ctx
                                ? Map.of("context", ctx)
                                : map(s.get("build"));
                String context = String.valueOf(build.getOrDefault("context", "."));
                String dockerfile = String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"));
                if (!Files.isDirectory(composeDir.resolve(context))) {
                    problems.add(name + ": build context " + context + " does not exist");
                } else if (!Files.isRegularFile(composeDir.resolve(context).resolve(dockerfile))) {
                    problems.add(
                            name
                                    + ": dockerfile "
                                    + context
                                    + "/"
                                    + dockerfile
                                    + " does not exist");
                }
            }
            for (Object v : list(s.get("volumes"))) {
                String src = String.valueOf(v).split(":")[0];
                if (src.startsWith(".") || src.startsWith("/")) {
                    if (!src.startsWith("/") && !Files.exists(composeDir.resolve(src))) {
                        problems.add(name + ": bind mount " + src + " does not exist");
                    }
                } else if (!declared.contains(src)) {
                    problems.add(name + ": volume " + src + " is not declared under volumes");
                }
            }
        }
        return problems;
    }

    /** Every FROM flink:... is the pom's Flink version; there is at least one. */
    static List<String> flinkImageProblems(Dockerfile df, String flinkVersion) {
        List<String> flink = df.fromImages().stream().filter(i -> i.startsWith("flink:")).toList();
        if (flink.isEmpty()) {
            return List.of("no FROM flink:<version> image");
        }
        return flink.stream()
                .filter(i -> !i.substring("flink:".length()).split("-")[0].equals(flinkVersion))
                .map(i -> i + " is not Flink " + flinkVersion)
                .toList();
    }

    /** The broker image's major.minor is the Kafka clients'. */
    static List<String> kafkaImageProblems(Map<String, Object> compose, String kafkaVersion) {
        String image = String.valueOf(map(services(compose).get("kafka")).get("image"));
        String want = majorMinor(kafkaVersion);
        if (!image.startsWith("apache/kafka:")) {
            return List.of("kafka image " + image + " is not apache/kafka");
        }
        return majorMinor(image.substring("apache/kafka:".length())).equals(want)
                ? List.of()
                : List.of("kafka image " + image + " is not Kafka " + want);
    }

    /**
     * The JobManager publishes rest.port; FLINK_PROPERTIES keeps config.yaml's ports; submitters
     * use rest.port.
     */
    static List<String> portProblems(Map<String, Object> compose, Map<String, Object> flinkConf) {
        List<String> problems = new ArrayList<>();
        String restPort = String.valueOf(flinkConf.get("rest.port"));
        String rpcPort = String.valueOf(flinkConf.get("jobmanager.rpc.port"));
        Map<String, Object> jm = map(services(compose).get("jobmanager"));
        if (list(jm.get("ports")).stream()
                .map(p -> containerPort(String.valueOf(p)))
                .noneMatch(restPort::equals)) {
            problems.add("jobmanager publishes no container port " + restPort + " (rest.port)");
        }
        for (var e : flinkProperties(compose).entrySet()) {
            Map<String, String> props = e.getValue();
            for (var expected :
                    Map.of("jobmanager.rpc.port", rpcPort, "rest.port", restPort).entrySet()) {
                String given = props.get(expected.getKey());
                if (given != null && !given.equals(expected.getValue())) {
                    problems.add(
                            "FLINK_PROPERTIES of "
                                    + e.getKey()
                                    + ": "
                                    + expected.getKey()
                                    + " is "
                                    + given
                                    + ", config.yaml has "
                                    + expected.getValue());
                }
            }
        }
        if (!flinkProperties(compose).containsKey("jobmanager")) {
            problems.add("jobmanager has no FLINK_PROPERTIES");
        }
        for (var submitter : submitters(compose).entrySet()) {
            String target = argAfter(submitter.getValue(), "-m");
            if (!("jobmanager:" + restPort).equals(target)) {
                problems.add(
                        submitter.getKey()
                                + " submits to "
                                + target
                                + ", not jobmanager:"
                                + restPort);
            }
        }
        return problems;
    }

    static List<String> pipelineServiceProblems(
            Map<String, Object> compose, List<String> pipelines) {
        List<String> problems = new ArrayList<>();
        for (String p : pipelines) {
            List<String> submitters =
                    submitters(compose).entrySet().stream()
                            .filter(e -> p.equals(argAfter(e.getValue(), ".jar", "run")))
                            .map(Map.Entry::getKey)
                            .toList();
            List<String> producers =
                    commands(compose).entrySet().stream()
                            .filter(e -> p.equals(argAfter(e.getValue(), "produce")))
                            .map(Map.Entry::getKey)
                            .toList();
            if (submitters.size() != 1) {
                problems.add(p + " has " + submitters.size() + " submitters: " + submitters);
            }
            if (producers.size() != 1) {
                problems.add(p + " has " + producers.size() + " producers: " + producers);
            }
        }
        return problems;
    }

    /**
     * Every --bootstrap-servers is the broker's advertised listener that uses its service name as
     * host.
     */
    static List<String> bootstrapProblems(Map<String, Object> compose) {
        Map<String, Object> kafkaEnv = map(map(services(compose).get("kafka")).get("environment"));
        String internal =
                Arrays.stream(String.valueOf(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS")).split(","))
                        .map(l -> l.substring(l.indexOf("://") + 3))
                        .filter(hostPort -> hostPort.startsWith("kafka:"))
                        .findFirst()
                        .orElse(null);
        if (internal == null) {
            return List.of("kafka advertises no listener on host kafka");
        }
        List<String> problems = new ArrayList<>();
        int uses = 0;
        for (var e : commands(compose).entrySet()) {
            List<String> cmd = e.getValue();
            for (int i = 0; i < cmd.size() - 1; i++) {
                if (cmd.get(i).equals("--bootstrap-servers")) {
                    uses++;
                    if (!cmd.get(i + 1).equals(internal)) {
                        problems.add(
                                e.getKey()
                                        + " uses --bootstrap-servers "
                                        + cmd.get(i + 1)
                                        + ", not the internal listener "
                                        + internal);
                    }
                }
            }
        }
        if (uses == 0) {
            problems.add("no service passes --bootstrap-servers");
        }
        return problems;
    }

    /**
     * A model is resolved on the submitting client and loaded by path on the TaskManagers: both
     * mount the root.
     */
    static List<String> modelRootProblems(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> tm = map(services(compose).get("taskmanager"));
        for (var submitter : submitters(compose).entrySet()) {
            String root =
                    submitter.getValue().stream()
                            .filter(a -> a.startsWith("attnstream.models.root="))
                            .map(a -> a.substring(a.indexOf('=') + 1))
                            .findFirst()
                            .orElse(null);
            if (root == null) {
                problems.add(
                        submitter.getKey()
                                + " sets no -D attnstream.models.root (relative 'models' differs"
                                + " per container)");
                continue;
            }
            for (var s :
                    Map.of(
                                    submitter.getKey(),
                                    map(services(compose).get(submitter.getKey())),
                                    "taskmanager",
                                    tm)
                            .entrySet()) {
                if (list(s.getValue().get("volumes")).stream()
                        .map(v -> String.valueOf(v).split(":")[1])
                        .noneMatch(root::equals)) {
                    problems.add(
                            s.getKey()
                                    + " does not mount "
                                    + root
                                    + " ("
                                    + submitter.getKey()
                                    + "'s models root)");
                }
            }
        }
        return problems;
    }

    /** ai.djl. is parent-first in config.yaml, and no service's FLINK_PROPERTIES takes it out. */
    static List<String> djlParentFirstProblems(
            Map<String, Object> flinkConf, Map<String, Map<String, String>> overrides) {
        String key = "classloader.parent-first-patterns.additional";
        List<String> problems = new ArrayList<>();
        Map<String, Object> effective = new LinkedHashMap<>(flinkConf);
        for (var e : overrides.entrySet()) {
            if (e.getValue().containsKey(key)) {
                effective.put(key, e.getValue().get(key));
            }
        }
        Object value = effective.get(key);
        List<String> patterns =
                value instanceof List<?> l
                        ? l.stream().map(String::valueOf).toList()
                        : value == null
                                ? List.of()
                                : Arrays.stream(String.valueOf(value).split(";"))
                                        .map(String::strip)
                                        .toList();
        if (!patterns.contains("ai.djl.")) {
            problems.add(key + " is " + patterns + ", without ai.djl.");
        }
        return problems;
    }

    // ---------------------------------------------------------------- compose and Dockerfile
    // reading

    /** A Dockerfile's FROM images and COPY instructions, with continuation lines joined. */
    record Dockerfile(List<String> fromImages, List<List<String>> copies) {
        static Dockerfile parse(String text) {
            List<String> froms = new ArrayList<>();
            List<List<String>> copies = new ArrayList<>();
            for (String line :
                    text.replaceAll("\\\\\\r?\\n", " ").lines().map(String::strip).toList()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                List<String> words = List.of(line.split("\\s+"));
                String op = words.get(0).toUpperCase();
                if (op.equals("FROM")) {
                    froms.add(
                            words.stream()
                                    .skip(1)
                                    .filter(w -> !w.startsWith("--"))
                                    .findFirst()
                                    .orElse(""));
                } else if (op.equals("COPY") || op.equals("ADD")) {
                    copies.add(words.subList(1, words.size()));
                }
            }
            return new Dockerfile(froms, copies);
        }

        /**
         * Sources copied from the build context (not --from another stage), without a trailing
         * slash.
         */
        List<String> repoCopySources() {
            List<String> sources = new ArrayList<>();
            for (List<String> args : copies) {
                if (args.stream().anyMatch(a -> a.startsWith("--from="))) {
                    continue;
                }
                List<String> paths = args.stream().filter(a -> !a.startsWith("--")).toList();
                paths.subList(0, paths.size() - 1).forEach(p -> sources.add(trimSlash(p)));
            }
            return sources;
        }

        /** Source -> destination of each single-source COPY from the build context. */
        Map<String, String> copyDestinations() {
            Map<String, String> out = new LinkedHashMap<>();
            for (List<String> args : copies) {
                List<String> paths = args.stream().filter(a -> !a.startsWith("--")).toList();
                if (paths.size() == 2 && args.stream().noneMatch(a -> a.startsWith("--from="))) {
                    out.put(trimSlash(paths.get(0)), paths.get(1));
                }
            }
            return out;
        }
    }

    /** Service name -> command, for services whose command is a list. */
    static Map<String, List<String>> commands(Map<String, Object> compose) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        services(compose)
                .forEach(
                        (name, s) -> {
                            Object cmd = map(s).get("command");
                            if (cmd instanceof List<?> l) {
                                out.put(name, l.stream().map(String::valueOf).toList());
                            }
                        });
        return out;
    }

    /** Services that run `flink run` (possibly behind a wrapper). */
    static Map<String, List<String>> submitters(Map<String, Object> compose) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        commands(compose)
                .forEach(
                        (name, cmd) -> {
                            int flink = cmd.indexOf("flink");
                            if (flink >= 0
                                    && flink + 1 < cmd.size()
                                    && cmd.get(flink + 1).equals("run")) {
                                out.put(name, cmd);
                            }
                        });
        return out;
    }

    /** Service name -> its FLINK_PROPERTIES as key -> value. */
    static Map<String, Map<String, String>> flinkProperties(Map<String, Object> compose) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        services(compose)
                .forEach(
                        (name, s) -> {
                            Object props = map(map(s).get("environment")).get("FLINK_PROPERTIES");
                            if (props != null) {
                                Map<String, String> kv = new LinkedHashMap<>();
                                // The entrypoint's format: one "key: value" per line, split at the
                                // first colon.
                                for (String line :
                                        String.valueOf(props)
                                                .lines()
                                                .map(String::strip)
                                                .filter(l -> l.contains(":"))
                                                .toList()) {
                                    kv.put(
                                            line.substring(0, line.indexOf(':')).strip(),
                                            line.substring(line.indexOf(':') + 1).strip());
                                }
                                out.put(name, kv);
                            }
                        });
        return out;
    }

    /**
     * The argument after the first {@code marker} (an exact word, or a suffix such as ".jar"), then
     * {@code then}.
     */
    static String argAfter(List<String> cmd, String marker, String... then) {
        for (int i = 0; i < cmd.size(); i++) {
            String w = cmd.get(i);
            if (w.equals(marker) || (marker.startsWith(".") && w.endsWith(marker))) {
                int j = i + 1;
                for (String t : then) {
                    if (j >= cmd.size() || !cmd.get(j).equals(t)) {
                        return null;
                    }
                    j++;
                }
                return j < cmd.size() ? cmd.get(j) : null;
            }
        }
        return null;
    }

    static String containerPort(String mapping) {
        String[] parts = mapping.split("/")[0].split(":");
        return parts[parts.length - 1];
    }

    /**
     * The compose files merged in order as compose does for services (later files override per
     * key).
     */
    static Map<String, Object> compose(String... names) throws IOException {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Object> services = new LinkedHashMap<>();
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (String name : names) {
            Map<String, Object> c = yaml(read(DOCKER.resolve(name)));
            services(c)
                    .forEach(
                            (svc, def) -> {
                                Map<String, Object> into =
                                        new LinkedHashMap<>(map(services.get(svc)));
                                into.putAll(map(def));
                                services.put(svc, into);
                            });
            volumes.putAll(map(c.get("volumes")));
        }
        merged.put("services", services);
        merged.put("volumes", volumes);
        return merged;
    }

    /**
     * Parses compose YAML after compose's variable substitution with every variable unset ({@code
     * ${X:-default}}).
     */
    static Map<String, Object> yaml(String text) {
        Matcher m = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?}").matcher(text);
        String substituted =
                m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) == null ? "" : r.group(1)));
        return map(new Yaml().load(substituted));
    }

    static Map<String, Object> services(Map<String, Object> compose) {
        return map(compose.get("services"));
    }

    // ---------------------------------------------------------------- pom and config.yaml reading

    static String pomProperty(String pom, String name) {
        Matcher m =
                Pattern.compile(
                                "<"
                                        + Pattern.quote(name)
                                        + ">([^<]+)</"
                                        + Pattern.quote(name)
                                        + ">")
                        .matcher(pom);
        if (!m.find()) {
            throw new AssertionError("pom.xml has no property " + name);
        }
        return m.group(1).strip();
    }

    /** target/<finalName>.jar and every target/ directory the pom's plugins write to. */
    static Set<String> pomBuiltTargets(String pom) {
        Set<String> built = new LinkedHashSet<>();
        built.add("target/" + pomProperty(pom, "finalName") + ".jar");
        Matcher m =
                Pattern.compile(
                                "<outputDirectory>\\$\\{project\\.build\\.directory}/([^<]+)</outputDirectory>")
                        .matcher(pom);
        while (m.find()) {
            built.add("target/" + trimSlash(m.group(1).strip()));
        }
        return built;
    }

    /** Nested YAML maps as Flink reads them: dotted keys. */
    static Map<String, Object> flatten(Map<String, Object> nested) {
        Map<String, Object> flat = new LinkedHashMap<>();
        nested.forEach(
                (k, v) -> {
                    if (v instanceof Map<?, ?>) {
                        flatten(map(v)).forEach((k2, v2) -> flat.put(k + "." + k2, v2));
                    } else {
                        flat.put(k, v);
                    }
                });
        return flat;
    }

    static String majorMinor(String version) {
        String[] p = version.split("[.-]");
        return p[0] + "." + p[1];
    }

    static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
