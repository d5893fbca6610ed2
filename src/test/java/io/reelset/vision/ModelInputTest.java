package io.reelset.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelInputTest {

  /** The tensor as it was written pixel by pixel and channel by channel until 2026-12-05. */
  private static float[] reference(SegmentationModel model, RgbImage image) {
    int w = model.width();
    int h = model.height();
    ModelInput.Placement p = ModelInput.placement(model, image.width(), image.height());
    float[] out = new float[3 * w * h];
    for (int y = 0; y < h; y++) {
      double sy = (y + 0.5 - p.offsetY()) / p.scaleY() - 0.5;
      for (int x = 0; x < w; x++) {
        double sx = (x + 0.5 - p.offsetX()) / p.scaleX() - 0.5;
        boolean inside = sx > -1 && sy > -1 && sx < image.width() && sy < image.height();
        for (int c = 0; c < 3; c++) {
          float value = 0f;
          if (inside) {
            int x0 = (int) Math.floor(sx);
            int y0 = (int) Math.floor(sy);
            double fx = sx - x0;
            double fy = sy - y0;
            double a = sample(image, x0, y0, c);
            double b = sample(image, x0 + 1, y0, c);
            double d = sample(image, x0, y0 + 1, c);
            double e = sample(image, x0 + 1, y0 + 1, c);
            value = (float) ((a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy);
          }
          out[c * w * h + y * w + x] = (value - model.mean()[c]) / model.std()[c];
        }
      }
    }
    return out;
  }

  private static int sample(RgbImage image, int x, int y, int channel) {
    int cx = Math.max(0, Math.min(image.width() - 1, x));
    int cy = Math.max(0, Math.min(image.height() - 1, y));
    return image.rgb()[(cy * image.width() + cx) * 3 + channel] & 0xff;
  }

  private static RgbImage noise(int width, int height, long seed) {
    byte[] rgb = new byte[width * height * 3];
    new Random(seed).nextBytes(rgb);
    return new RgbImage(width, height, rgb);
  }

  @Test
  void theTensorIsTheSameBitForBitAsSampledPixelByPixel() {
    SegmentationModel[] models = {
        new SegmentationModel("m.onnx", "input", "output", 64, 48, new float[] {128, 128, 128},
            new float[] {256, 256, 256}, true),
        new SegmentationModel("m.onnx", "input", "output", 40, 40, new float[] {0.485f * 255, 0.456f * 255,
            0.406f * 255}, new float[] {0.229f * 255, 0.224f * 255, 0.225f * 255}, false)};
    int[][] sizes = {{128, 72}, {33, 91}, {17, 5}, {64, 48}, {1, 1}};
    for (SegmentationModel model : models) {
      for (int[] size : sizes) {
        RgbImage image = noise(size[0], size[1], size[0] * 31L + size[1]);
        FloatBuffer tensor = FloatBuffer.allocate(5 + 3 * model.width() * model.height() + 2);
        tensor.position(5); // written at the buffer's position, as a batch's second image is
        ModelInput.write(model, image, tensor);
        assertEquals(5 + 3 * model.width() * model.height(), tensor.position());
        float[] written = new float[3 * model.width() * model.height()];
        tensor.position(5);
        tensor.get(written);
        assertArrayEquals(reference(model, image), written, 0f,
            size[0] + "x" + size[1] + " into " + model.width() + "x" + model.height() + " letterbox " + model.letterbox());
      }
    }
  }
}
