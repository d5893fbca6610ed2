package io.reelset.stages.segmentation;

import io.reelset.compile.BatchingDoFn;
import io.reelset.compile.Checkpoints;
import io.reelset.compile.Retry;
import io.reelset.compile.OutputFiles;
import io.reelset.compile.StageMetrics;
import io.reelset.values.CharacterCrop;
import io.reelset.values.CharacterCropCoder;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import io.reelset.vision.CropMaker;
import io.reelset.vision.MaskRegions;
import io.reelset.vision.ModelException;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.RgbImage;
import io.reelset.vision.SegmentationModel;
import io.reelset.vision.SharedModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Cuts the characters out of frames with an ONNX segmentation model, in micro-batches.
 *
 * <p>The session is shared by every instance in the JVM ({@link SharedModels}), opened in
 * {@code @Setup} and released in {@code @Teardown}. Frames are buffered up to {@code batchSize}
 * and the rest flushed at the end of the bundle, without artificial keys. If a batch fails, its
 * frames are run one by one, so one bad frame fails alone, as a {@link Failure}.
 */
final class SegmentCharactersFn extends BatchingDoFn<Frame, CharacterCrop> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<CharacterCrop> CROPS = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final String stageId;
  private final SegmentationModel model;
  private final OnnxSegmenter.Device device;
  private final int threads;
  private final CropSettings crops;
  private final String saveDir;
  private final Checkpoints checkpoints;
  private final Counter segmented;
  private final Counter characters;
  private final Counter empty;
  private final Counter retried;
  private final Counter resumed;
  private final Counter recorded;

  private Retry retry;
  private transient OnnxSegmenter segmenter;

  SegmentCharactersFn(String stageId, SegmentationModel model, OnnxSegmenter.Device device, int threads,
      int batchSize, CropSettings crops, String saveDir, Checkpoints checkpoints) {
    super(batchSize);
    this.stageId = stageId;
    this.model = model;
    this.device = device;
    this.threads = threads;
    this.crops = crops;
    this.saveDir = saveDir;
    this.checkpoints = checkpoints;
    String namespace = StageMetrics.namespace(stageId);
    this.segmented = Metrics.counter(namespace, "frames_segmented");
    this.characters = Metrics.counter(namespace, "characters");
    this.empty = Metrics.counter(namespace, "frames_without_characters");
    this.retried = Metrics.counter(namespace, "batches_retried_one_by_one");
    this.resumed = Metrics.counter(namespace, StageMetrics.RESUMED);
    this.recorded = Metrics.counter(namespace, StageMetrics.RECORDED);
    this.retry = Retry.none(namespace);
  }

  /** Tries inference again on transient errors, per batch and then per frame. */
  SegmentCharactersFn retrying(Retry policy) {
    this.retry = policy;
    return this;
  }

  @Setup
  public void setup() throws ModelException {
    segmenter = acquire(model, device, threads);
  }

  static String sessionKey(SegmentationModel model, OnnxSegmenter.Device device, int threads) {
    return "segmentation|" + model.key() + "|" + device + "|" + threads;
  }

  /** The JVM's shared session for these settings; give it back with {@link #release}. */
  static OnnxSegmenter acquire(SegmentationModel model, OnnxSegmenter.Device device, int threads)
      throws ModelException {
    return SharedModels.acquire(sessionKey(model, device, threads), () -> OnnxSegmenter.open(model, device, threads));
  }

  static void release(SegmentationModel model, OnnxSegmenter.Device device, int threads) {
    SharedModels.release(sessionKey(model, device, threads));
  }

  @Teardown
  public void teardown() {
    if (segmenter != null) {
      release(model, device, threads);
      segmenter = null;
    }
  }

  @Override
  protected void flush(List<Pending<Frame>> batch, Emitter out) {
    List<Pending<Frame>> ready = new ArrayList<>();
    List<RgbImage> images = new ArrayList<>();
    for (Pending<Frame> pending : batch) {
      List<CharacterCrop> done = checkpoints == null ? null
          : checkpoints.read(pending.element().key(), CharacterCropCoder.of());
      if (done != null) {
        resumed.inc();
        done.forEach(crop -> out.emit(CROPS, crop, pending));
        continue;
      }
      try {
        images.add(RgbImage.decode(pending.element().image()));
        ready.add(pending);
      } catch (IOException | RuntimeException e) {
        out.emit(FAILURES, Failure.of(stageId, pending.element().key(), "cannot decode the frame image", e), pending);
      }
    }
    List<float[]> masks = null;
    try {
      masks = retry.call(() -> segmenter.masks(images));
    } catch (Exception e) {
      retried.inc();
    }
    for (int i = 0; i < ready.size(); i++) {
      Pending<Frame> pending = ready.get(i);
      try {
        RgbImage image = images.get(i);
        float[] mask = masks != null ? masks.get(i) : retry.call(() -> segmenter.masks(List.of(image))).get(0);
        cut(pending, images.get(i), mask, out);
      } catch (Exception e) {
        out.emit(FAILURES, Failure.of(stageId, pending.element().key(), "the model failed on this frame", e), pending);
      }
    }
  }

  private void cut(Pending<Frame> pending, RgbImage image, float[] mask, Emitter out) throws IOException {
    Frame frame = pending.element();
    segmented.inc();
    MaskRegions.Result result = MaskRegions.find(mask, image.width(), image.height(), crops.threshold(),
        crops.minArea(), crops.maxHole(), crops.maxInstances());
    if (saveDir != null) {
      OutputFiles.writeBytes(saveDir + "/masks/" + frame.videoKey(), frame.paddedPts() + ".png",
          maskPng(mask, image.width(), image.height()));
    }
    if (result.regions().isEmpty()) {
      empty.inc();
      if (crops.emptyIsFailure()) {
        out.emit(FAILURES, new Failure(stageId, frame.key(), "no character found (no region of at least "
            + crops.minArea() + " of the frame above the threshold " + crops.threshold() + ")", ""), pending);
        return;
      }
    }
    List<CharacterCrop> found = new ArrayList<>();
    double frameArea = (double) image.width() * image.height();
    for (int n = 0; n < result.regions().size(); n++) {
      MaskRegions.Region region = result.regions().get(n);
      CropMaker.Crop crop = CropMaker.crop(image, mask, result, region, crops.padding(), crops.background(),
          crops.softMask());
      CharacterCrop value = new CharacterCrop(frame.key(), frame.videoKey(), frame.ptsMs(), n, crop.x(), crop.y(),
          crop.width(), crop.height(), image.width(), image.height(), region.area() / frameArea, crop.quality(),
          crop.png());
      if (saveDir != null) {
        OutputFiles.writeBytes(saveDir + "/crops/" + frame.videoKey(), frame.paddedPts() + "_" + n + ".png", crop.png());
      }
      found.add(value);
    }
    if (checkpoints != null && checkpoints.write(frame.key(), found, CharacterCropCoder.of())) {
      recorded.inc();
    }
    for (CharacterCrop value : found) {
      characters.inc();
      out.emit(CROPS, value, pending);
    }
  }

  private static byte[] maskPng(float[] mask, int width, int height) throws IOException {
    BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((java.awt.image.DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < mask.length; i++) {
      pixels[i] = (byte) Math.round(mask[i] * 255);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(gray, "png", png);
    return png.toByteArray();
  }
}
