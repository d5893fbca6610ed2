package io.reelset.vision;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX Runtime session of an image model with one image input, shared by segmentation,
 * embedding and tagging: {@code [N, 3, height, width]} normalised RGB ({@link Layout#PLANAR_RGB}),
 * or {@code [N, size, size, 3]} BGR 0–255 padded square on white ({@link Layout#WD14}).
 * Thread-safe (ONNX Runtime sessions are; closing waits for the inferences in flight); batches run
 * as one call when the model's batch dimension is dynamic, else image by image.
 */
public final class OnnxImageSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxImageSession.class);

  /** How images become the model's input tensor. */
  public enum Layout {
    /** {@code [N, 3, height, width]}, RGB, {@code (pixel - mean) / std}: see {@link ModelInput} */
    PLANAR_RGB,
    /** {@code [N, size, size, 3]}, BGR 0–255, padded square on white: see {@link TaggerInput} */
    WD14
  }

  private final SegmentationModel model;
  private final Layout layout;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final boolean dynamicBatch;
  private final String device;
  /** Inference holds it shared; close() takes it exclusively, so it never frees a session in use. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private boolean closed;

  private OnnxImageSession(SegmentationModel model, Layout layout, OrtEnvironment environment, OrtSession session,
      boolean dynamicBatch, String device) {
    this.model = model;
    this.layout = layout;
    this.environment = environment;
    this.session = session;
    this.dynamicBatch = dynamicBatch;
    this.device = device;
  }

  /**
   * Loads the model and checks its input and output against {@code model}.
   *
   * @param threads intra-op threads; 0 lets ONNX Runtime choose
   * @throws ModelException naming the path and what was expected
   */
  public static OnnxImageSession open(SegmentationModel model, OnnxSegmenter.Device device, int threads,
      String kind, String hint) throws ModelException {
    return open(model, Layout.PLANAR_RGB, device, threads, kind, hint);
  }

  /**
   * Loads the model and checks its input and output; with {@link Layout#WD14}, an input or output
   * name that is null is the model's only one, and a size of 0 is the model's (448 when its input
   * size is dynamic).
   */
  public static OnnxImageSession open(SegmentationModel model, Layout layout, OnnxSegmenter.Device device,
      int threads, String kind, String hint) throws ModelException {
    Path path = Path.of(model.path());
    if (!Files.isRegularFile(path)) {
      throw new ModelException("model file " + path + " does not exist; expected an ONNX " + kind + " model" + hint);
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    String used = "cpu";
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      // No memory pattern: with it, ONNX Runtime plans each input shape's buffers on the first
      // inference and allocates the plan, in fresh memory, on the second, so a session's first two
      // inferences each page in a few hundred megabytes (ISNet at 1024x1024 on one thread: 4.4 and
      // 5.2 s, then 2.0 s; without it 4.5 s, then 2.0 s). Later inferences are as fast either way:
      // the arena keeps its memory.
      options.setMemoryPatternOptimization(false);
      if (device != OnnxSegmenter.Device.CPU) {
        try {
          options.addCUDA(0);
          used = "cuda";
        } catch (OrtException | RuntimeException e) {
          if (device == OnnxSegmenter.Device.CUDA) {
            throw new ModelException("device: cuda needs the GPU build of ONNX Runtime (build with -Pgpu) and an"
                + " NVIDIA GPU with CUDA; here: " + e.getMessage());
          }
        }
      }
      session = environment.createSession(model.path(), options);
    } catch (OrtException e) {
      throw new ModelException("model file " + path + " cannot be loaded by ONNX Runtime: " + e.getMessage());
    }
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      if (layout == Layout.WD14) {
        model = channelsLast(model, path, inputs, outputs);
      }
      if (!inputs.containsKey(model.inputName())) {
        throw new ModelException("model " + path + " has no input '" + model.inputName() + "'; its inputs: "
            + inputs.keySet());
      }
      if (!outputs.containsKey(model.outputName())) {
        throw new ModelException("model " + path + " has no output '" + model.outputName() + "'; its outputs: "
            + outputs.keySet());
      }
      long[] shape = ((TensorInfo) inputs.get(model.inputName()).getInfo()).getShape();
      if (layout == Layout.WD14) {
        String where = used;
        LOG.debug("{} model {} runs on {}, input {}", kind, path.getFileName(), where,
            java.util.Arrays.toString(shape));
        return new OnnxImageSession(model, layout, environment, session, shape[0] < 0, used);
      }
      if (shape.length != 4 || (shape[1] != 3 && shape[1] != -1)) {
        throw new ModelException("model " + path + " input '" + model.inputName() + "' has shape "
            + java.util.Arrays.toString(shape) + "; expected [N, 3, height, width]");
      }
      if ((shape[2] > 0 && shape[2] != model.height()) || (shape[3] > 0 && shape[3] != model.width())) {
        throw new ModelException("model " + path + " takes " + shape[3] + "x" + shape[2] + " images (input '"
            + model.inputName() + "' " + java.util.Arrays.toString(shape) + "), not " + model.width() + "x"
            + model.height() + "; set input_size: " + shape[2] + " or leave it out");
      }
      String where = used;
      LOG.debug("{} model {} runs on {}, input {}", kind, path.getFileName(), where,
          java.util.Arrays.toString(shape));
      return new OnnxImageSession(model, layout, environment, session, shape[0] == -1, used);
    } catch (OrtException e) {
      closeQuietly(session);
      throw new ModelException("model " + path + " cannot be inspected: " + e.getMessage());
    } catch (ModelException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /**
   * The model with its input and output names and its size resolved from a {@code [N, size, size, 3]}
   * input; a model of another shape is refused.
   */
  private static SegmentationModel channelsLast(SegmentationModel model, Path path, Map<String, NodeInfo> inputs,
      Map<String, NodeInfo> outputs) throws ModelException, OrtException {
    String input = model.inputName();
    String output = model.outputName();
    if (input == null) {
      if (inputs.size() != 1) {
        throw new ModelException("model " + path + " has inputs " + inputs.keySet() + "; name the image one");
      }
      input = inputs.keySet().iterator().next();
    }
    if (output == null) {
      if (outputs.size() != 1) {
        throw new ModelException("model " + path + " has outputs " + outputs.keySet() + "; name the scores one");
      }
      output = outputs.keySet().iterator().next();
    }
    if (!inputs.containsKey(input)) {
      throw new ModelException("model " + path + " has no input '" + input + "'; its inputs: " + inputs.keySet());
    }
    long[] shape = ((TensorInfo) inputs.get(input).getInfo()).getShape();
    if (shape.length != 4 || (shape[3] != 3 && shape[3] != -1) || (shape[1] > 0 && shape[2] > 0 && shape[1] != shape[2])) {
      throw new ModelException("model " + path + " input '" + input + "' has shape " + java.util.Arrays.toString(shape)
          + "; expected [N, size, size, 3] (a WD14-format tagger: BGR images, channels last)");
    }
    int size = model.width();
    if (shape[1] > 0) {
      if (size > 0 && size != shape[1]) {
        throw new ModelException("model " + path + " takes " + shape[1] + "x" + shape[1] + " images, not " + size
            + "x" + size + "; set input_size: " + shape[1] + " or leave it out");
      }
      size = (int) shape[1];
    } else if (size <= 0) {
      size = 448;
    }
    return new SegmentationModel(model.path(), input, output, size, size, model.mean(), model.std(), true);
  }

  /** {@code cpu} or {@code cuda}: where this session runs. */
  public String device() {
    return device;
  }

  public SegmentationModel model() {
    return model;
  }

  /** The shape of the output the model is read from (-1 for a dynamic dimension). */
  public long[] outputShape() throws ModelException {
    try {
      return ((TensorInfo) session.getOutputInfo().get(model.outputName()).getInfo()).getShape();
    } catch (OrtException | RuntimeException e) {
      throw new ModelException("model " + model.path() + " output '" + model.outputName() + "' cannot be inspected: "
          + e.getMessage());
    }
  }

  /** Reads one image's result out of a batch's output tensor. */
  public interface OutputReader<T> {
    T read(FloatBuffer output, long[] shape, int index, RgbImage image);
  }

  /** One result per image. */
  public <T> List<T> run(List<RgbImage> images, OutputReader<T> reader) throws OrtException {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the ONNX session is closed (the run is stopping)");
      }
      List<T> results = new ArrayList<>();
      if (!dynamicBatch) {
        for (RgbImage image : images) {
          results.addAll(runBatch(List.of(image), reader));
        }
        return results;
      }
      return runBatch(images, reader);
    } finally {
      lock.readLock().unlock();
    }
  }

  private <T> List<T> runBatch(List<RgbImage> images, OutputReader<T> reader) throws OrtException {
    int plane = model.width() * model.height();
    FloatBuffer input = FloatBuffer.allocate(images.size() * 3 * plane);
    for (RgbImage image : images) {
      if (layout == Layout.WD14) {
        TaggerInput.write(image, model.width(), input);
      } else {
        ModelInput.write(model, image, input);
      }
    }
    input.rewind();
    long[] shape = layout == Layout.WD14 ? new long[] {images.size(), model.height(), model.width(), 3}
        : new long[] {images.size(), 3, model.height(), model.width()};
    List<T> results = new ArrayList<>();
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape);
        OrtSession.Result result = session.run(Map.of(model.inputName(), tensor), Set.of(model.outputName()))) {
      OnnxTensor value = (OnnxTensor) result.get(model.outputName()).orElseThrow();
      long[] outputShape = value.getInfo().getShape();
      FloatBuffer output = value.getFloatBuffer();
      for (int i = 0; i < images.size(); i++) {
        results.add(reader.read(output, outputShape, i, images.get(i)));
      }
    }
    return results;
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // closing a session that failed to load; nothing more to free
    }
  }

  /** Closes the session once the inferences in flight have ended. */
  @Override
  public void close() throws OrtException {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
