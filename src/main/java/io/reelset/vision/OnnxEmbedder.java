package io.reelset.vision;

import ai.onnxruntime.OrtException;
import io.reelset.vision.cluster.Vectors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Embeds crops with any ONNX image-embedding model: CCIP (deepghs' anime character identity
 * model), a CLIP image encoder, or a classifier's pooled features. Transparent crop pixels are
 * flattened on a background colour, the image resized to the model's input, normalised per
 * channel, and the chosen output pooled to one vector per image.
 */
public final class OnnxEmbedder implements AutoCloseable {

  /** How an output tensor becomes one vector per image. */
  public enum Pooling {
    /** the output is {@code [N, D]}, or is flattened per image */
    NONE,
    /** the mean over tokens ({@code [N, T, D]}) or over positions ({@code [N, C, H, W]}) */
    MEAN,
    /** the first token of {@code [N, T, D]} (a ViT's class token) */
    CLS,
    /** the maximum over positions of {@code [N, C, H, W]} */
    MAX
  }

  /**
   * @param io the input (name, size, mean, std, letterbox) and the output to read
   * @param background RGB that transparent pixels are flattened on
   */
  public record Settings(SegmentationModel io, Pooling pooling, boolean normalise, int background)
      implements Serializable {
    public String key() {
      return io.key() + "|" + pooling + "|" + normalise + "|" + background;
    }
  }

  private final Settings settings;
  private final OnnxImageSession session;

  private OnnxEmbedder(Settings settings, OnnxImageSession session) {
    this.settings = settings;
    this.session = session;
  }

  public static OnnxEmbedder open(Settings settings, OnnxSegmenter.Device device, int threads) throws ModelException {
    return new OnnxEmbedder(settings, OnnxImageSession.open(settings.io(), device, threads, "image-embedding",
        " (download one, e.g. CCIP or a CLIP image encoder exported to ONNX; see the README)"));
  }

  public String device() {
    return session.device();
  }

  /** One embedding per encoded image (PNG or JPEG). */
  public List<float[]> embed(List<byte[]> images) throws IOException, OrtException {
    List<RgbImage> decoded = new ArrayList<>();
    for (byte[] image : images) {
      decoded.add(flatten(image, settings.background()));
    }
    return session.run(decoded, (output, shape, index, image) -> {
      float[] vector = pool(output, shape, index, settings.pooling());
      return settings.normalise() ? Vectors.normalise(vector) : vector;
    });
  }

  /** Decodes an image and flattens its transparency on {@code background} (RGB). */
  static RgbImage flatten(byte[] encoded, int background) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
    if (image == null) {
      throw new IOException("not an image ImageIO can read (" + encoded.length + " bytes)");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      int a = argb[i] >>> 24;
      for (int c = 0; c < 3; c++) {
        int shift = 16 - 8 * c;
        int fg = (argb[i] >> shift) & 0xff;
        int bg = (background >> shift) & 0xff;
        rgb[i * 3 + c] = (byte) ((fg * a + bg * (255 - a) + 127) / 255);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /** Image {@code index}'s vector out of a batch output of {@code shape}. */
  static float[] pool(FloatBuffer output, long[] shape, int index, Pooling pooling) {
    int perItem = 1;
    for (int i = 1; i < shape.length; i++) {
      perItem *= (int) shape[i];
    }
    float[] item = new float[perItem];
    output.position(index * perItem);
    output.get(item);
    if (pooling == Pooling.NONE || shape.length == 2) {
      return item;
    }
    if (shape.length == 3) {
      int tokens = (int) shape[1];
      int dim = (int) shape[2];
      if (pooling == Pooling.CLS) {
        return Arrays.copyOf(item, dim);
      }
      float[] v = new float[dim];
      for (int t = 0; t < tokens; t++) {
        for (int d = 0; d < dim; d++) {
          v[d] = pooling == Pooling.MAX ? (t == 0 ? item[d] : Math.max(v[d], item[t * dim + d]))
              : v[d] + item[t * dim + d] / tokens;
        }
      }
      return v;
    }
    if (shape.length == 4) {
      int channels = (int) shape[1];
      int positions = (int) (shape[2] * shape[3]);
      if (pooling == Pooling.CLS) {
        throw new IllegalArgumentException("pooling: cls needs a [N, tokens, dim] output; this one is "
            + Arrays.toString(shape) + " (use mean or max)");
      }
      float[] v = new float[channels];
      for (int c = 0; c < channels; c++) {
        float acc = pooling == Pooling.MAX ? Float.NEGATIVE_INFINITY : 0;
        for (int p = 0; p < positions; p++) {
          float x = item[c * positions + p];
          acc = pooling == Pooling.MAX ? Math.max(acc, x) : acc + x / positions;
        }
        v[c] = acc;
      }
      return v;
    }
    throw new IllegalArgumentException("cannot pool an output of shape " + Arrays.toString(shape)
        + "; expected [N, D], [N, tokens, D] or [N, C, H, W]");
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
