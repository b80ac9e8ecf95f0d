package io.attnstream.video.job;

import io.attnstream.schema.Lineage;
import io.attnstream.video.model.SegmentationRequest;

/**
 * A decoded camera frame on its way to the model: the frame's identity and Kafka coordinates, its
 * own size, and its pixels already resized to the model's input (so what crosses operators is the
 * model's W x H x 3 bytes, not the camera's full frame). A Flink POJO.
 */
public class FrameRequest {
    public String cameraId;
    public long frameSeq;

    /** Capture time, epoch ms. */
    public long eventTime;

    /** The frame record's Kafka timestamp, epoch ms, or -1. */
    public long recordTimestamp;

    public String topic;
    public int partition;
    public long offset;
    public int frameWidth;
    public int frameHeight;

    /** Requested mask size (the frame's, or a configured one). */
    public int outputWidth;

    public int outputHeight;

    /** RGB, row-major, interleaved (H, W, 3) at the model's input size. */
    public byte[] rgb;

    public FrameRequest() {}

    public Lineage lineage() {
        return new Lineage(topic, partition, offset);
    }

    /** What the model's translator needs. */
    public SegmentationRequest toModelRequest() {
        return new SegmentationRequest(rgb, outputWidth, outputHeight);
    }
}
