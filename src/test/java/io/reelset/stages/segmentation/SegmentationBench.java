package io.reelset.stages.segmentation;

import io.reelset.compile.StageContext;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.StageConfig;
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
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reshuffle;

/**
 * Segmentation throughput, for {@code scripts/bench-segmentation.sh}: {@code plain} runs ONNX
 * Runtime in a loop over the frames (decode, prepare, run, mask back to size); {@code stage} runs
 * the segmentation stage's transform over the same frames on the DirectRunner with one worker,
 * fed one frame per bundle as a pipeline feeds it. Same model, same threads. Prints frames per
 * second. Neither timing holds a start: the loop's model load and first inference come before it,
 * and so do the stage's, and the runner's first pipeline (over 2 frames: Beam's classes loaded,
 * its code compiled), as in a pipeline the other stages pay that once before segmentation's
 * frames arrive. {@code cold} leaves the runner's warm-up out and times its start with the stage.
 *
 * <p>Arguments: {@code plain|stage FRAMES THREADS [BATCH] [WORKERS] [cold]} (WORKERS: the
 * DirectRunner's threads, 1 by default).
 */
public final class SegmentationBench {
  private SegmentationBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int count = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    int workers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    boolean cold = args.length > 5 && args[5].equals("cold");
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
        // warm-up: as many inferences as the stage's before its timing (ONNX Runtime's second is slow too)
        for (int i = 0; i < (cold ? 1 : 1 + warmFrames(frames)); i++) {
          segmenter.masks(List.of(RgbImage.decode(frames.get(i % warmFrames(frames)).image())));
        }
        start = System.nanoTime();
        for (Frame frame : frames) {
          segmenter.masks(List.of(RgbImage.decode(frame.image())));
        }
      }
    } else {
      SharedModel<OnnxSegmenter> warm = SegmentCharactersFn.session(model, OnnxSegmenter.Device.CPU, threads);
      try {
        warm.get().masks(List.of(RgbImage.decode(frames.get(0).image()))); // the same warm-up as the plain loop
        if (!cold) { // and the runner's: a first pipeline over 2 frames loads and compiles Beam's code
          long warmStart = System.nanoTime();
          stage(frames.subList(0, warmFrames(frames)), threads, batch, workers).run().waitUntilFinish();
          System.out.printf("warm-up: the runner's first pipeline, " + warmFrames(frames) + " frames, %.2f s%n",
              (System.nanoTime() - warmStart) / 1e9);
        }
        Pipeline pipeline = stage(frames, threads, batch, workers);
        start = System.nanoTime();
        pipeline.run().waitUntilFinish();
      } finally {
        warm.release();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%s: %d frames in %.2f s = %.3f frames/s%n", mode, count, seconds, count / seconds);
  }

  /** The frames of the runner's warm-up pipeline: 2, or 1 when only one is benchmarked. */
  private static int warmFrames(List<Frame> frames) {
    return Math.min(2, frames.size());
  }

  /** The stage as a pipeline runs it, fed as the DirectRunner feeds it: one frame per bundle. */
  private static Pipeline stage(List<Frame> frames, int threads, int batch, int workers) {
    DirectOptions options = PipelineOptionsFactory.fromArgs("--targetParallelism=" + workers, "--enforceImmutability=false",
        "--enforceEncodability=false").as(DirectOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    SegmentationConfig config = ConfigSchema.defaults(SegmentationConfig.class, Map.of("model",
        "models/isnet-medium.onnx", "batch_size", (long) batch, "threads", (long) threads, "device", "cpu"));
    pipeline.apply(Create.of(frames).withCoder(FrameCoder.of()))
        .apply("OnePerBundle", Reshuffle.viaRandomKey())
        .apply(SegmentCharacters.of(config, new StageContext("characters", "segmentation",
            new StageConfig(Map.of()), null, null, null)));
    return pipeline;
  }
}
