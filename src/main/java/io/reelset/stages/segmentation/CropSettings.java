package io.reelset.stages.segmentation;

import java.io.Serializable;

/**
 * How a mask becomes character crops.
 *
 * @param growThreshold hysteresis: pixels down to this confidence join a region seeded at
 *     {@code threshold}
 * @param background RGB to flatten crops on, or -1 for RGBA
 * @param emptyIsFailure a frame without any character is a failure rather than skipped
 */
record CropSettings(float threshold, float growThreshold, boolean softMask, double minArea, double maxHole,
    int maxInstances, double padding, int background, boolean emptyIsFailure) implements Serializable {}
