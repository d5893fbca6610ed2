package io.reelset.stages.segmentation;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.OutputFiles;
import io.reelset.kit.ResumableBatchFn;
import io.reelset.kit.SharedModel;
import io.reelset.kit.StageMetrics;
import io.reelset.values.CharacterCrop;
import io.reelset.values.CharacterCropCoder;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import io.reelset.vision.CropMaker;
import io.reelset.vision.MaskRegions;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.RgbImage;
import io.reelset.vision.SegmentationModel;
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
 * Cuts the characters out of frames with an ONNX segmentation model, in micro-batches, resumably
 * ({@link ResumableBatchFn}); the session is shared by every instance in the JVM
 * ({@link SharedModel}). A frame without characters is skipped, or a failure with
 * {@code empty_frame: failure}.
 */
final class SegmentCharactersFn extends ResumableBatchFn<Frame, CharacterCrop, RgbImage, float[], CharacterCrop> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<CharacterCrop> CROPS = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final SharedModel<OnnxSegmenter> segmenter;
  private final CropSettings crops;
  private final String saveDir;
  private final Counter segmented;
  private final Counter characters;
  private final Counter empty;

  SegmentCharactersFn(String stageId, SegmentationModel model, OnnxSegmenter.Device device, int threads,
      int batchSize, CropSettings crops, String saveDir, Checkpoints checkpoints) {
    super(stageId, batchSize, checkpoints, CharacterCropCoder.of(), FAILURES);
    this.segmenter = session(model, device, threads);
    this.crops = crops;
    this.saveDir = saveDir;
    String namespace = StageMetrics.namespace(stageId);
    this.segmented = Metrics.counter(namespace, "frames_segmented");
    this.characters = Metrics.counter(namespace, "characters");
    this.empty = Metrics.counter(namespace, "frames_without_characters");
  }

  /** The JVM's shared session for these settings. */
  static SharedModel<OnnxSegmenter> session(SegmentationModel model, OnnxSegmenter.Device device, int threads) {
    return SharedModel.of("segmentation|" + model.key() + "|" + device + "|" + threads,
        () -> OnnxSegmenter.open(model, device, threads));
  }

  @Setup
  public void setup() throws Exception {
    segmenter.get();
  }

  @Teardown
  public void teardown() {
    segmenter.release();
  }

  @Override
  protected String key(Frame frame) {
    return frame.key();
  }

  @Override
  protected RgbImage prepare(Frame frame) throws IOException {
    return RgbImage.decode(frame.image());
  }

  @Override
  protected List<float[]> infer(List<RgbImage> images) throws Exception {
    return segmenter.get().masks(images);
  }

  @Override
  protected String prepareFailure() {
    return "cannot decode the frame image";
  }

  @Override
  protected String processFailure() {
    return "the model failed on this frame";
  }

  @Override
  protected void emit(Pending<Frame> pending, List<CharacterCrop> found, Emitter out) {
    found.forEach(crop -> out.emit(CROPS, crop, pending));
  }

  @Override
  protected List<CharacterCrop> finish(Pending<Frame> pending, RgbImage image, float[] mask, Emitter out)
      throws IOException {
    Frame frame = pending.element();
    segmented.inc();
    MaskRegions.Result result = MaskRegions.find(mask, image.width(), image.height(), crops.threshold(),
        crops.growThreshold(), crops.minArea(), crops.maxHole(), crops.maxInstances());
    if (saveDir != null) {
      OutputFiles.writeBytes(saveDir + "/masks/" + frame.videoKey(), frame.paddedPts() + ".png",
          maskPng(mask, image.width(), image.height()));
    }
    if (result.regions().isEmpty()) {
      empty.inc();
      if (crops.emptyIsFailure()) {
        fail(pending, "no character found (no region of at least " + crops.minArea()
            + " of the frame above the threshold " + crops.threshold() + ")", null, out);
        return null;
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
    characters.inc(found.size());
    return found;
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
