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

  static Encoded prepare(byte[] png, int maxSide, int background, String format) throws IOException {
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
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.setColor(new java.awt.Color(background));
    g.fillRect(0, 0, w, h);
    g.drawImage(source, (int) Math.round((w - drawW) / 2), (int) Math.round((h - drawH) / 2),
        (int) Math.round(drawW), (int) Math.round(drawH), null);
    g.dispose();
    return new Encoded(encode(out, format), w, h);
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    if (format.equals("webp")) {
      try {
        return io.reelset.media.WebpEncoder.encode(
            image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()),
            image.getWidth(), image.getHeight(), 90);
      } catch (io.reelset.media.VideoException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    if (format.equals("png")) {
      return PngWriter.write(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()),
          image.getWidth(), image.getHeight(), false);
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
