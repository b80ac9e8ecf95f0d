package io.attnstream.traffic.cli;

import io.attnstream.cli.PipelineCommands;
import java.util.List;

/** The traffic pipeline's commands, and the last-value baseline on traffic data. */
public final class TrafficCommands implements PipelineCommands {
    @Override
    public List<Object> train() {
        return List.of(new TrainTrafficCommand());
    }

    @Override
    public List<Object> evaluate() {
        return List.of(new EvaluateTrafficCommand());
    }

    @Override
    public List<Object> evaluateBaselines() {
        return List.of(new EvaluateLastValueCommand());
    }

    @Override
    public List<Object> produce() {
        return List.of(new ProduceTrafficCommand());
    }
}
