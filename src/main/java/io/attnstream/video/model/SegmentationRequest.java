package io.attnstream.video.model;

/**
 * One frame for the segmentation model: pixels at the model's input size and the size its mask is
 * wanted at.
 *
 * @param rgb (H, W, 3) interleaved RGB bytes at the model's input size
 * @param outputWidth mask width to return
 * @param outputHeight mask height to return
 */
public record SegmentationRequest(byte[] rgb, int outputWidth, int outputHeight) {}
