package io.reelset.stages.segmentation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.values.CharacterCrop;
import io.reelset.values.CharacterCropCoder;
import io.reelset.values.FailureCoder;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import io.reelset.vision.Composites;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.SegmentationModel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The segmentation DoFn with the real ISNet model, in batches, with a frame that is not an image. */
@ExtendWith(TestPipelineExtension.class)
class SegmentationStageIT {
  @TempDir Path dir;

  @Test
  void eachCompositeGivesOneCharacterAndABrokenFrameFailsAlone(TestPipeline p) throws Exception {
    List<Frame> frames = new ArrayList<>();
    List<Composites.Composite> composites = Composites.make();
    for (int i = 0; i < composites.size(); i++) {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(composites.get(i).frame(), "png", png);
      frames.add(new Frame("art-000000000000", i, i * 1000L, 1280, 720, "png", png.toByteArray(), 0));
    }
    frames.add(new Frame("art-000000000000", 9, 9000, 1280, 720, "png", new byte[] {1, 2, 3}, 0));
    java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(640, 360,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = gray.createGraphics();
    g.setColor(new java.awt.Color(128, 128, 128));
    g.fillRect(0, 0, 640, 360);
    g.dispose();
    ByteArrayOutputStream empty = new ByteArrayOutputStream();
    ImageIO.write(gray, "png", empty);
    frames.add(new Frame("art-000000000000", 8, 8000, 640, 360, "png", empty.toByteArray(), 0));
    CropSettings settings = new CropSettings(0.5f, 0.5f, false, 0.02, 0.001, 4, 0.05, -1, true);
    PCollectionTuple out = p.apply(Create.of(frames).withCoder(FrameCoder.of()))
        .apply(ParDo.of(new SegmentCharactersFn("characters", SegmentationModel.isnet("models/isnet-medium.onnx"),
                OnnxSegmenter.Device.AUTO, 2, 3, settings, dir.toString(), null))
            .withOutputTags(SegmentCharactersFn.CROPS, TupleTagList.of(SegmentCharactersFn.FAILURES)));
    PAssert.that(out.get(SegmentCharactersFn.CROPS).setCoder(CharacterCropCoder.of())).satisfies(crops -> {
      List<String> keys = new ArrayList<>();
      for (CharacterCrop crop : crops) {
        keys.add(crop.key());
        int spriteLeft = 150 + (int) (crop.ptsMs() / 1000) * 220;
        assertTrue(Math.abs(crop.x() - spriteLeft) < 120, crop + " starts near the sprite at x=" + spriteLeft);
        assertThat(crop.quality(), greaterThan(0.5));
        assertThat(crop.areaFraction(), greaterThan(0.1));
      }
      keys.sort(null);
      assertEquals(List.of("art-000000000000@000000000#0", "art-000000000000@000001000#0",
          "art-000000000000@000002000#0", "art-000000000000@000003000#0"), keys);
      return null;
    });
    PAssert.that(out.get(SegmentCharactersFn.FAILURES).setCoder(FailureCoder.of())).satisfies(failures -> {
      List<String> all = new ArrayList<>();
      failures.forEach(f -> all.add(f.itemKey() + ": " + f.error()));
      all.sort(null);
      assertEquals(List.of(
          "art-000000000000@000008000: no character found (no region of at least 0.02 of the frame above"
              + " the threshold 0.5)",
          "art-000000000000@000009000: cannot decode the frame image"), all);
      return null;
    });
    p.run().waitUntilFinish();
    try (var files = Files.list(dir.resolve("crops/art-000000000000"))) {
      assertEquals(4, files.count());
    }
    try (var files = Files.list(dir.resolve("masks/art-000000000000"))) {
      assertEquals(5, files.count(), "a mask for every frame that was segmented, the empty one too");
    }
  }
}
