package io.reelset.stages.clustering;

import io.reelset.vision.OnnxEmbedder;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.PaletteEmbedder;
import io.reelset.kit.SharedModel;
import java.io.Serializable;
import java.util.ArrayList;
import io.reelset.vision.cluster.Vectors;
import java.util.List;

/**
 * The embedder a clustering stage uses: the built-in palette, or an ONNX model whose session is
 * shared by every DoFn instance of the JVM.
 */
final class CropEmbedder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PaletteEmbedder palette;
  private final OnnxEmbedder.Settings onnx;
  /** With both a palette and a model: the model's share of the squared distance, 0 to 1. */
  private final double modelWeight;
  private final SharedModel<OnnxEmbedder> session;

  private CropEmbedder(PaletteEmbedder palette, OnnxEmbedder.Settings onnx, OnnxSegmenter.Device device, int threads,
      double modelWeight) {
    this.palette = palette;
    this.onnx = onnx;
    this.modelWeight = modelWeight;
    this.session = onnx == null ? null : SharedModel.of("embedding|" + onnx.key() + "|" + device + "|" + threads,
        () -> OnnxEmbedder.open(onnx, device, threads));
  }

  static CropEmbedder palette(PaletteEmbedder palette) {
    return new CropEmbedder(palette, null, OnnxSegmenter.Device.CPU, 0, 0);
  }

  /**
   * The palette and a model together: each vector scaled to unit length, then by the square root
   * of its weight, and joined, so that the squared distance of two crops is the weighted sum of
   * the two embedders' squared distances and the result has unit length.
   */
  static CropEmbedder combined(PaletteEmbedder palette, OnnxEmbedder.Settings settings, double modelWeight,
      OnnxSegmenter.Device device, int threads) {
    return new CropEmbedder(palette, settings, device, threads, modelWeight);
  }

  static CropEmbedder onnx(OnnxEmbedder.Settings settings, OnnxSegmenter.Device device, int threads) {
    return new CropEmbedder(null, settings, device, threads, 1);
  }

  boolean batches() {
    return onnx != null;
  }

  String describe() {
    if (palette != null && onnx != null) {
      return String.format(java.util.Locale.ROOT, "palette+onnx %s (weight %.2f)", onnx.io().path(), modelWeight);
    }
    return onnx == null ? "palette" : "onnx " + onnx.io().path();
  }

  /** Loads the model (a no-op for the palette). */
  void open() throws Exception {
    if (session != null) {
      session.get();
    }
  }

  void close() {
    if (session != null) {
      session.release();
    }
  }

  /** One embedding per encoded image. */
  List<float[]> embed(List<byte[]> images) throws Exception {
    List<float[]> fromModel = session == null ? null : session.get().embed(images);
    if (palette == null) {
      return fromModel;
    }
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      float[] colours = palette.embed(images.get(i));
      out.add(fromModel == null ? colours : join(colours, fromModel.get(i), modelWeight));
    }
    return out;
  }

  /** {@code a} and {@code b}, each at unit length, scaled by sqrt(1 - w) and sqrt(w), end to end. */
  static float[] join(float[] a, float[] b, double w) {
    float[] unitA = Vectors.normalise(a.clone());
    float[] unitB = Vectors.normalise(b.clone());
    float[] joined = new float[a.length + b.length];
    for (int i = 0; i < a.length; i++) {
      joined[i] = (float) (unitA[i] * Math.sqrt(1 - w));
    }
    for (int i = 0; i < b.length; i++) {
      joined[a.length + i] = (float) (unitB[i] * Math.sqrt(w));
    }
    return joined;
  }
}
