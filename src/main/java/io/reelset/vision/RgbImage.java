package io.reelset.vision;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** An 8-bit RGB image, row-major, interleaved ({@code r, g, b} per pixel). */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, not " + width + "x" + height + "x3");
    }
  }

  /** Decodes a JPEG or PNG. */
  public static RgbImage decode(byte[] encoded) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
    if (image == null) {
      throw new IOException("not an image ImageIO can read (" + encoded.length + " bytes)");
    }
    return of(image);
  }

  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    WritableRaster raster = image.getRaster();
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && raster.getDataBuffer() instanceof DataBufferByte bytes
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel layout
        && layout.getScanlineStride() == w * 3
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      // what ImageIO decodes a colour JPEG to: the bytes as they are, blue first (getRGB converts
      // pixel by pixel through the colour model, a tenth of a frame's preparation)
      byte[] bgr = bytes.getData();
      int offset = bytes.getOffset();
      byte[] rgb = new byte[w * h * 3];
      for (int i = 0; i < rgb.length; i += 3) {
        rgb[i] = bgr[offset + i + 2];
        rgb[i + 1] = bgr[offset + i + 1];
        rgb[i + 2] = bgr[offset + i];
      }
      return new RgbImage(w, h, rgb);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[i * 3] = (byte) (argb[i] >> 16);
      rgb[i * 3 + 1] = (byte) (argb[i] >> 8);
      rgb[i * 3 + 2] = (byte) argb[i];
    }
    return new RgbImage(w, h, rgb);
  }

  public int red(int x, int y) {
    return rgb[(y * width + x) * 3] & 0xff;
  }

  public int green(int x, int y) {
    return rgb[(y * width + x) * 3 + 1] & 0xff;
  }

  public int blue(int x, int y) {
    return rgb[(y * width + x) * 3 + 2] & 0xff;
  }
}
