package io.reelset.stages.segmentation;

import io.reelset.vision.ModelException;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.SegmentationModel;
import java.util.HashMap;
import java.util.Map;

/**
 * One ONNX Runtime session per model and settings per JVM, shared by every DoFn instance that
 * uses it (sessions are thread-safe) and closed when the last one lets go.
 */
final class SharedSegmenters {
  private static final Map<String, Entry> SESSIONS = new HashMap<>();

  private static final class Entry {
    final OnnxSegmenter segmenter;
    int users;

    Entry(OnnxSegmenter segmenter) {
      this.segmenter = segmenter;
    }
  }

  private SharedSegmenters() {}

  static String key(SegmentationModel model, OnnxSegmenter.Device device, int threads) {
    return model + "|" + device + "|" + threads;
  }

  static synchronized OnnxSegmenter acquire(SegmentationModel model, OnnxSegmenter.Device device, int threads)
      throws ModelException {
    String key = key(model, device, threads);
    Entry entry = SESSIONS.get(key);
    if (entry == null) {
      entry = new Entry(OnnxSegmenter.open(model, device, threads));
      SESSIONS.put(key, entry);
    }
    entry.users++;
    return entry.segmenter;
  }

  static synchronized void release(SegmentationModel model, OnnxSegmenter.Device device, int threads) {
    String key = key(model, device, threads);
    Entry entry = SESSIONS.get(key);
    if (entry != null && --entry.users == 0) {
      SESSIONS.remove(key);
      try {
        entry.segmenter.close();
      } catch (Exception e) {
        // the session is gone either way
      }
    }
  }
}
