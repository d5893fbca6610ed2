package io.reelset.vision;

import ai.onnxruntime.OrtException;
import java.util.List;

/**
 * An ONNX Runtime session of a segmentation model: images in, foreground masks (0–1, at each
 * image's size) out. Thread-safe; see {@link OnnxImageSession}.
 */
public final class OnnxSegmenter implements AutoCloseable {

  /** Where inference runs. */
  public enum Device {
    AUTO, CPU, CUDA;

    /**
     * How many items a bundle should bring to a model on this device ({@code kit.Batches}): the whole
     * batch on CUDA; one on the CPU, by measurement — grouping cost the DirectRunner's scheduler more
     * than batching saved there (README, stage segmentation).
     */
    public int itemsPerBundle(int batchSize) {
      // batches of one (the palette's) need no look for CUDA, which loads ONNX Runtime's natives
      return batchSize > 1 && cuda() ? batchSize : 1;
    }

    /** Whether inference will run on CUDA: asked for, or auto where ONNX Runtime has CUDA (the -Pgpu build). */
    private boolean cuda() {
      if (this != AUTO) {
        return this == CUDA;
      }
      try {
        return ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }
  }

  private final OnnxImageSession session;

  private OnnxSegmenter(OnnxImageSession session) {
    this.session = session;
  }

  /**
   * Loads the model and checks its input and output against {@code model}.
   *
   * @param threads intra-op threads; 0 lets ONNX Runtime choose
   * @throws ModelException naming the path and what was expected
   */
  public static OnnxSegmenter open(SegmentationModel model, Device device, int threads) throws ModelException {
    return new OnnxSegmenter(OnnxImageSession.open(model, device, threads, "segmentation",
        " (run scripts/fetch-models.sh for the default ISNet)"));
  }

  /** {@code cpu} or {@code cuda}: where this session runs. */
  public String device() {
    return session.device();
  }

  public SegmentationModel model() {
    return session.model();
  }

  /** One mask per image, at the image's size. */
  public List<float[]> masks(List<RgbImage> images) throws OrtException {
    SegmentationModel model = session.model();
    return session.run(images, (output, shape, index, image) -> {
      output.position(index * model.width() * model.height());
      return ModelInput.maskFor(model, output, image.width(), image.height());
    });
  }

  /** Closes the session once the inferences in flight have ended. */
  @Override
  public void close() throws OrtException {
    session.close();
  }
}
