package io.attnstream.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the files a command reads, as one-line usage errors. */
public final class InputFiles {
    private InputFiles() {}

    /**
     * @throws Main.UsageException when the file does not exist or cannot be read
     */
    public static void requireReadable(Path file) {
        if (!Files.isReadable(file)) {
            throw new Main.UsageException("data file not found or unreadable: " + file);
        }
    }
}
