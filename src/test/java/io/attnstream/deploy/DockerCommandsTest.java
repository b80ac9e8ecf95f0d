package io.attnstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every attnstream command line the containers run (compose services, the submitters' job arguments
 * after the jar, docker/init-models.sh) is one the CLI accepts: option names and values are parsed
 * by the real command tree, without running anything. No Docker engine runs here, so this is what
 * stands in for starting them.
 */
class DockerCommandsTest {
    private static final Path DOCKER = Path.of("docker");
    private static final String JOB_JAR = "/opt/flink/usrlib/attnstream.jar";

    @Test
    void composeCommandsParse() throws IOException {
        List<List<String>> commands = composeCommands();
        // topics, three submitters, three producers
        assertThat(commands)
                .as("attnstream commands in compose.yaml")
                .hasSizeGreaterThanOrEqualTo(7);
        commands.forEach(DockerCommandsTest::assertParses);
    }

    @Test
    void initModelsTrainingCommandsParse() throws IOException {
        List<List<String>> commands = initModelsCommands();
        assertThat(commands).as("train_once lines in init-models.sh").hasSize(3);
        commands.forEach(DockerCommandsTest::assertParses);
    }

    private static void assertParses(List<String> args) {
        assertThatCode(() -> parse(args))
                .as("attnstream %s", String.join(" ", args))
                .doesNotThrowAnyException();
    }

    @Test
    void aMisspelledOptionIsCaught() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        List.of(
                                                "produce",
                                                "clicks",
                                                "--bootstrap-servers",
                                                "kafka:19092",
                                                "--user",
                                                "5")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--user");
    }

    private static void parse(List<String> args) {
        Main.newCommandLine().parseArgs(args.toArray(String[]::new));
    }

    /**
     * The arguments after `attnstream` (CLI services) or after the job jar (flink run submitters).
     */
    private static List<List<String>> composeCommands() throws IOException {
        List<List<String>> out = new ArrayList<>();
        for (List<String> words :
                DockerFilesTest.commands(DockerFilesTest.compose("compose.yaml")).values()) {
            int jar = words.indexOf(JOB_JAR);
            if (jar >= 0) {
                out.add(words.subList(jar + 1, words.size()));
            } else if (!words.isEmpty() && words.get(0).equals("attnstream")) {
                out.add(words.subList(1, words.size()));
            }
        }
        return out;
    }

    /**
     * `train_once NAME ARGS...` lines (continuations joined) as the `attnstream train ...` they
     * run.
     */
    private static List<List<String>> initModelsCommands() throws IOException {
        String script = Files.readString(DOCKER.resolve("init-models.sh")).replace("\\\n", " ");
        List<List<String>> out = new ArrayList<>();
        for (String line : script.split("\n")) {
            if (!line.startsWith("train_once ")) {
                continue;
            }
            List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(words.subList(2, words.size()));
            args.addAll(List.of("--name", words.get(1), "--version", "1", "--out", "/tmp/models"));
            out.add(args);
        }
        return out;
    }
}
