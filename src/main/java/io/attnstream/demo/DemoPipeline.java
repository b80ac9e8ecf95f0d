package io.attnstream.demo;

import io.attnstream.pipeline.Pipeline;
import io.attnstream.platform.RecordGenerator;
import java.util.Map;

/**
 * One pipeline as the demo runs it: the job, the simulator that feeds its input topic, and how to
 * read its output topics for the live status and the summary.
 */
public record DemoPipeline(
        Pipeline pipeline,
        String inputTopic,
        RecordGenerator generator,
        Map<String, OutputMonitor.Observer> outputs) {}
