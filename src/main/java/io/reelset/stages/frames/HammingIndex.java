package io.reelset.stages.frames;

import io.reelset.media.FrameHashes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * 64-bit hashes, asked whether one within a distance is there, without comparing against each:
 * split into {@code distance + 1} bands, two hashes that many bits apart or closer agree on at
 * least one band whole (pigeonhole), so only the hashes that share a band with the query are
 * compared. Beyond 15 bits (bands of 4 bits, most hashes sharing one) it compares with every hash.
 */
final class HammingIndex {
  private final int distance;
  private final int[] bandStart;
  private final List<Map<Long, List<Long>>> bands = new ArrayList<>();
  private final List<Long> all = new ArrayList<>();

  HammingIndex(int distance) {
    if (distance < 0 || distance > 64) {
      throw new IllegalArgumentException("distance " + distance + " is out of range 0 to 64");
    }
    this.distance = distance;
    int count = distance <= 15 ? distance + 1 : 0;
    bandStart = new int[count + 1];
    for (int b = 0; b <= count; b++) {
      bandStart[b] = count == 0 ? 0 : b * 64 / count;
    }
    for (int b = 0; b < count; b++) {
      bands.add(new HashMap<>());
    }
  }

  void add(long hash) {
    if (bands.isEmpty()) {
      all.add(hash);
      return;
    }
    for (int b = 0; b < bands.size(); b++) {
      bands.get(b).computeIfAbsent(band(hash, b), k -> new ArrayList<>()).add(hash);
    }
  }

  /** Whether a hash added so far is {@link #distance} bits from {@code hash} or closer. */
  boolean hasWithin(long hash) {
    if (bands.isEmpty()) {
      return all.stream().anyMatch(h -> FrameHashes.hamming(h, hash) <= distance);
    }
    for (int b = 0; b < bands.size(); b++) {
      List<Long> same = bands.get(b).get(band(hash, b));
      if (same != null && same.stream().anyMatch(h -> FrameHashes.hamming(h, hash) <= distance)) {
        return true;
      }
    }
    return false;
  }

  private long band(long hash, int b) {
    int from = bandStart[b];
    int bits = bandStart[b + 1] - from;
    return bits == 64 ? hash : (hash >>> from) & ((1L << bits) - 1);
  }
}
