package io.attnstream.video.cli;

import io.attnstream.cli.PipelineCommands;
import java.util.List;

/** The video pipeline's commands. */
public final class VideoCommands implements PipelineCommands {
    @Override
    public List<Object> train() {
        return List.of(new TrainVideoCommand());
    }

    @Override
    public List<Object> evaluate() {
        return List.of(new EvaluateVideoCommand());
    }

    @Override
    public List<Object> produce() {
        return List.of(new ProduceVideoCommand());
    }
}
