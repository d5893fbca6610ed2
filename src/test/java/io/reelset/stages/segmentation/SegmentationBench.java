package io.reelset.stages.segmentation;

import io.reelset.values.Frame;
import io.reelset.kit.SharedModel;
import io.reelset.values.FrameCoder;
import io.reelset.vision.Composites;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.RgbImage;
import io.reelset.vision.SegmentationModel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Segmentation throughput, for {@code scripts/bench-segmentation.sh}: {@code plain} runs ONNX
 * Runtime in a loop over the frames (decode, prepare, run, mask back to size); {@code stage} runs
 * the segmentation DoFn over the same frames on the DirectRunner with one worker. Same model,
 * same threads. Prints frames per second.
 *
 * <p>Arguments: {@code plain|stage FRAMES THREADS [BATCH]}.
 */
public final class SegmentationBench {
  private SegmentationBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int count = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    List<Composites.Composite> composites = Composites.make();
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
      ImageIO.write(composites.get(i % composites.size()).frame(), "jpg", jpeg);
      frames.add(new Frame("bench-000000000000", i, i * 1000L, 1280, 720, "jpg", jpeg.toByteArray(), 0));
    }
    SegmentationModel model = SegmentationModel.isnet("models/isnet-medium.onnx");
    long start;
    if (mode.equals("plain")) {
      try (OnnxSegmenter segmenter = OnnxSegmenter.open(model, OnnxSegmenter.Device.CPU, threads)) {
        segmenter.masks(List.of(RgbImage.decode(frames.get(0).image()))); // warm-up, as the stage's first bundle
        start = System.nanoTime();
        for (Frame frame : frames) {
          segmenter.masks(List.of(RgbImage.decode(frame.image())));
        }
      }
    } else {
      DirectOptions options = PipelineOptionsFactory.fromArgs("--targetParallelism=1", "--enforceImmutability=false",
          "--enforceEncodability=false").as(DirectOptions.class);
      Pipeline pipeline = Pipeline.create(options);
      CropSettings settings = new CropSettings(0.5f, 0.5f, false, 0.02, 0.001, 4, 0.05, -1, false);
      pipeline.apply(Create.of(frames).withCoder(FrameCoder.of()))
          .apply(ParDo.of(new SegmentCharactersFn("characters", model, OnnxSegmenter.Device.CPU, threads, batch,
                  settings, null, null))
              .withOutputTags(SegmentCharactersFn.CROPS, TupleTagList.of(SegmentCharactersFn.FAILURES)));
      SharedModel<OnnxSegmenter> warm = SegmentCharactersFn.session(model, OnnxSegmenter.Device.CPU, threads);
      try {
        warm.get().masks(List.of(RgbImage.decode(frames.get(0).image()))); // the same warm-up as the plain loop
        start = System.nanoTime();
        pipeline.run().waitUntilFinish();
      } finally {
        warm.release();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%s: %d frames in %.2f s = %.3f frames/s%n", mode, count, seconds, count / seconds);
  }
}
