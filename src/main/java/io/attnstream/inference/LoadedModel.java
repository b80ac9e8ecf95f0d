package io.attnstream.inference;

import ai.djl.Model;
import java.nio.file.Path;

/**
 * A model version in memory: its DJL model (block + parameters on one device), its spec and
 * directory.
 */
public record LoadedModel(ModelSpec spec, Model model, Path dir) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
