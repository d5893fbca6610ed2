package io.reelset.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Pre- and post-processing on hand-made masks. */
class MaskRegionsTest {

  /** A 20×10 mask from rows of '#' (1.0), '+' (0.6), '.' (0.0). */
  private static float[] mask(String... rows) {
    float[] mask = new float[rows.length * rows[0].length()];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[y].length(); x++) {
        char c = rows[y].charAt(x);
        mask[y * rows[y].length() + x] = c == '#' ? 1f : c == '+' ? 0.6f : 0f;
      }
    }
    return mask;
  }

  private static final String[] TWO_AND_A_SPECK = {
      "....................",
      ".####.........#.....",
      ".#..#...............",
      ".####......######...",
      "...........######...",
      "...........##+###...",
      "...........######...",
      "....................",
      "....................",
      "...................."};

  @Test
  void componentsAboveTheMinimumAreaLargestFirst() {
    MaskRegions.Result result = MaskRegions.find(mask(TWO_AND_A_SPECK), 20, 10, 0.5f, 0.02, 0, 10);
    assertEquals(List.of(
            new MaskRegions.Region(3, 24, 11, 3, 16, 6, (23 + (double) 0.6f) / 24),
            new MaskRegions.Region(1, 10, 1, 1, 4, 3, 1.0)),
        result.regions());
  }

  @Test
  void smallHolesAreFilledAndTheCountIsCapped() {
    MaskRegions.Result filled = MaskRegions.find(mask(TWO_AND_A_SPECK), 20, 10, 0.5f, 0.02, 0.01, 1);
    assertEquals(1, filled.regions().size());
    MaskRegions.Result withHole = MaskRegions.find(mask(TWO_AND_A_SPECK), 20, 10, 0.5f, 0.02, 0.01, 2);
    assertEquals(12, withHole.regions().get(1).area(), "the 2-pixel hole inside the square is filled");
    MaskRegions.Result highThreshold = MaskRegions.find(mask(TWO_AND_A_SPECK), 20, 10, 0.7f, 0.0, 0, 10);
    assertEquals(List.of(23, 10, 1), highThreshold.regions().stream().map(MaskRegions.Region::area).toList());
  }

  /** A confident figure with a fainter rim on its right (dark hair), and a faint blob alone. */
  private static final String[] RIM_AND_FAINT_BLOB = {
      "....................",
      ".####++.............",
      ".####++.............",
      ".####++.............",
      "............++++....",
      "............++++....",
      "............++++....",
      "....................",
      "....................",
      "...................."};

  @Test
  void hysteresisGrowsAConfidentRegionButSeedsNoFaintOne() {
    MaskRegions.Result plain = MaskRegions.find(mask(RIM_AND_FAINT_BLOB), 20, 10, 0.7f, 0.0, 0, 10);
    assertEquals(List.of(12), plain.regions().stream().map(MaskRegions.Region::area).toList(), "no rim, no blob");
    MaskRegions.Result grown = MaskRegions.find(mask(RIM_AND_FAINT_BLOB), 20, 10, 0.7f, 0.5f, 0.0, 0, 10);
    assertEquals(List.of(18), grown.regions().stream().map(MaskRegions.Region::area).toList(),
        "the rim joins the figure; the blob has no pixel at the threshold");
    MaskRegions.Result low = MaskRegions.find(mask(RIM_AND_FAINT_BLOB), 20, 10, 0.5f, 0.0, 0, 10);
    assertEquals(List.of(18, 12), low.regions().stream().map(MaskRegions.Region::area).toList(),
        "a plain low threshold keeps the blob too");
  }

  @Test
  void cropsArePaddedAndCarryTheMaskAsAlpha() throws Exception {
    byte[] rgb = new byte[20 * 10 * 3];
    for (int i = 0; i < 200; i++) {
      rgb[i * 3] = (byte) 200; // red everywhere
    }
    RgbImage image = new RgbImage(20, 10, rgb);
    float[] soft = mask(TWO_AND_A_SPECK);
    MaskRegions.Result result = MaskRegions.find(soft, 20, 10, 0.5f, 0.02, 0, 10);
    CropMaker.Crop crop = CropMaker.crop(image, soft, result, result.regions().get(0), 0.25, -1, false);
    // box 6×4 at (11, 3), padded by round(1.5)=2 and 1: x 9..18, y 2..7
    assertEquals(List.of(9, 2, 10, 6), List.of(crop.x(), crop.y(), crop.width(), crop.height()));
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(crop.png()));
    assertEquals(10, png.getWidth());
    assertEquals(0, png.getRGB(0, 0) >>> 24, "outside the character: transparent");
    assertEquals(255, png.getRGB(2, 1) >>> 24, "inside: opaque");
    assertEquals(200, (png.getRGB(2, 1) >> 16) & 0xff);
    CropMaker.Crop softCrop = CropMaker.crop(image, soft, result, result.regions().get(0), 0.25, -1, true);
    assertEquals(153, ImageIO.read(new ByteArrayInputStream(softCrop.png())).getRGB(4, 3) >>> 24, "0.6 confidence");
    CropMaker.Crop onWhite = CropMaker.crop(image, soft, result, result.regions().get(0), 0.25, 0xFFFFFF, false);
    BufferedImage flat = ImageIO.read(new ByteArrayInputStream(onWhite.png()));
    assertEquals(0xFFFFFF, flat.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0xC80000, flat.getRGB(2, 1) & 0xFFFFFF);
  }

  @Test
  void modelInputIsNormalisedPlanarAndMasksComeBackToSize() {
    SegmentationModel model = new SegmentationModel("m.onnx", "input", "output", 4, 2,
        new float[] {128, 128, 128}, new float[] {256, 256, 256}, false);
    byte[] rgb = new byte[4 * 2 * 3];
    for (int i = 0; i < 8; i++) {
      rgb[i * 3] = (byte) 255;
      rgb[i * 3 + 2] = (byte) 128;
    }
    FloatBuffer tensor = FloatBuffer.allocate(3 * 8);
    ModelInput.write(model, new RgbImage(4, 2, rgb), tensor);
    assertEquals((255 - 128) / 256f, tensor.get(0), 1e-6);
    assertEquals(-0.5f, tensor.get(8), 1e-6);
    assertEquals(0f, tensor.get(16), 1e-6);
    float[] modelMask = {0, 0, 1, 1, 0, 0, 1, 1};
    float[] back = ModelInput.maskFor(model, FloatBuffer.wrap(modelMask), 8, 4);
    assertEquals(0f, back[0]);
    assertEquals(1f, back[7]);
    assertEquals(8 * 4, back.length);
  }
}
