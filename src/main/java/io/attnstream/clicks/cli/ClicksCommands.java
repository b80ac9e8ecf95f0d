package io.attnstream.clicks.cli;

import io.attnstream.cli.PipelineCommands;
import java.util.List;

/** The clicks pipeline's commands. */
public final class ClicksCommands implements PipelineCommands {
    @Override
    public List<Object> train() {
        return List.of(new TrainClicksCommand());
    }

    @Override
    public List<Object> evaluate() {
        return List.of(new EvaluateClicksCommand());
    }

    @Override
    public List<Object> produce() {
        return List.of(new ProduceClicksCommand());
    }
}
