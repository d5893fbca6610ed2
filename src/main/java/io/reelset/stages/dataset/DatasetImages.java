package io.reelset.stages.dataset;

import io.reelset.vision.PngWriter;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * A crop made ready for training: flattened on the background colour, scaled so that its longer
 * side is at most {@code maxSide}, then cut to the nearest smaller multiples of 64 (at least 64)
 * around its centre, and encoded.
 */
final class DatasetImages {
  private DatasetImages() {}

  /** An encoded image and its size. */
  record Encoded(byte[] bytes, int width, int height) {}

  /** The size a {@code width × height} crop becomes. */
  static int[] targetSize(int width, int height, int maxSide) {
    double scale = Math.min(1.0, (double) maxSide / Math.max(width, height));
    int w = (int) Math.round(width * scale);
    int h = (int) Math.round(height * scale);
    return new int[] {Math.max(64, w / 64 * 64), Math.max(64, h / 64 * 64)};
  }

  /**
   * @param background RGB that transparent pixels become; -1 keeps the alpha (the mask, for
   *     masked loss), grown by {@code dilate} pixels
   */
  static Encoded prepare(byte[] png, int maxSide, int background, int dilate, String format) throws IOException {
    BufferedImage source = ImageIO.read(new ByteArrayInputStream(png));
    if (source == null) {
      throw new IOException("not an image ImageIO can read (" + png.length + " bytes)");
    }
    int[] size = targetSize(source.getWidth(), source.getHeight(), maxSide);
    int w = size[0];
    int h = size[1];
    // cover w x h, then centre
    double scale = Math.max((double) w / source.getWidth(), (double) h / source.getHeight());
    double drawW = source.getWidth() * scale;
    double drawH = source.getHeight() * scale;
    boolean alpha = background < 0;
    BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    if (!alpha) {
      g.setColor(new java.awt.Color(background));
      g.fillRect(0, 0, w, h);
    }
    g.drawImage(source, (int) Math.round((w - drawW) / 2), (int) Math.round((h - drawH) / 2),
        (int) Math.round(drawW), (int) Math.round(drawH), null);
    g.dispose();
    int[] pixels = out.getRGB(0, 0, w, h, null, 0, w);
    if (alpha && dilate > 0) {
      dilateAlpha(pixels, w, h, dilate);
    }
    return new Encoded(encode(out, pixels, alpha, format), w, h);
  }

  /** Grows the alpha channel by {@code radius} pixels (a square maximum filter, rows then columns). */
  static void dilateAlpha(int[] argb, int w, int h, int radius) {
    int[] alpha = new int[argb.length];
    int[] rows = new int[argb.length];
    for (int i = 0; i < argb.length; i++) {
      alpha[i] = argb[i] >>> 24;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int max = 0;
        for (int k = Math.max(0, x - radius); k <= Math.min(w - 1, x + radius); k++) {
          max = Math.max(max, alpha[y * w + k]);
        }
        rows[y * w + x] = max;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int max = 0;
        for (int k = Math.max(0, y - radius); k <= Math.min(h - 1, y + radius); k++) {
          max = Math.max(max, rows[k * w + x]);
        }
        argb[y * w + x] = (max << 24) | (argb[y * w + x] & 0xFFFFFF);
      }
    }
  }

  /** {@code pixels} are the image's ARGB (its alpha grown, with {@code alpha}). */
  private static byte[] encode(BufferedImage image, int[] pixels, boolean alpha, String format) throws IOException {
    if (format.equals("webp")) {
      try {
        return io.reelset.media.WebpEncoder.encode(pixels, image.getWidth(), image.getHeight(), 90);
      } catch (io.reelset.media.VideoException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    if (format.equals("png")) {
      return PngWriter.write(pixels, image.getWidth(), image.getHeight(), alpha);
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var stream = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
