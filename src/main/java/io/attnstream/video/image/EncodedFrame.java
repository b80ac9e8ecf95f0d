package io.attnstream.video.image;

import io.attnstream.schema.FrameEncoding;

/** One camera frame as it goes on the wire: its encoding, its size and its bytes. */
public record EncodedFrame(FrameEncoding encoding, int width, int height, byte[] data) {}
