package io.reelset.stages.clustering;

import io.reelset.vision.OnnxEmbedder;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.PaletteEmbedder;
import io.reelset.kit.SharedModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedder a clustering stage uses: the built-in palette, or an ONNX model whose session is
 * shared by every DoFn instance of the JVM.
 */
final class CropEmbedder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PaletteEmbedder palette;
  private final OnnxEmbedder.Settings onnx;
  private final SharedModel<OnnxEmbedder> session;

  private CropEmbedder(PaletteEmbedder palette, OnnxEmbedder.Settings onnx, OnnxSegmenter.Device device, int threads) {
    this.palette = palette;
    this.onnx = onnx;
    this.session = onnx == null ? null : SharedModel.of("embedding|" + onnx.key() + "|" + device + "|" + threads,
        () -> OnnxEmbedder.open(onnx, device, threads));
  }

  static CropEmbedder palette(PaletteEmbedder palette) {
    return new CropEmbedder(palette, null, OnnxSegmenter.Device.CPU, 0);
  }

  static CropEmbedder onnx(OnnxEmbedder.Settings settings, OnnxSegmenter.Device device, int threads) {
    return new CropEmbedder(null, settings, device, threads);
  }

  boolean batches() {
    return onnx != null;
  }

  String describe() {
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
    if (session != null) {
      return session.get().embed(images);
    }
    List<float[]> out = new ArrayList<>();
    for (byte[] image : images) {
      out.add(palette.embed(image));
    }
    return out;
  }
}
