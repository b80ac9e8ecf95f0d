package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without PyTorch natives (none on the classpath, an empty DJL cache) and offline, the CLI must say
 * so in one line and exit 1, not print a stack trace or try the network. Runs a child JVM so this
 * JVM's loaded engine does not interfere.
 */
class MissingNativesTest {

    @Test
    void doctorWithoutNativesPrintsOneClearLineAndExitsOne(@TempDir Path cache) throws Exception {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        String withoutNatives =
                Arrays.stream(cp.split(File.pathSeparator))
                        .filter(e -> !e.contains("pytorch-native"))
                        .collect(Collectors.joining(File.pathSeparator));
        Path err = cache.resolve("stderr.txt");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                withoutNatives,
                                "-DDJL_CACHE_DIR=" + cache.resolve("djl"),
                                "-DENGINE_CACHE_DIR=" + cache.resolve("engine"),
                                "-Dai.djl.offline=true",
                                "io.attnstream.cli.Main",
                                "doctor",
                                "--device",
                                "cpu")
                        .redirectError(err.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as("stderr: %s", lines).isEqualTo(1);
        List<String> ours = lines.stream().filter(l -> l.startsWith("attnstream: ")).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0))
                .startsWith("attnstream: DJL could not load the PyTorch engine offline")
                .contains("pytorch-native-cpu");
        assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
    }
}
