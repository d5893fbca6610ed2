package io.reelset.run;

import io.reelset.kit.SharedModel;
import io.reelset.kit.SharedModels;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.SegmentationModel;
import java.util.concurrent.CountDownLatch;

/**
 * For {@link SignalDuringLoadIT}: a process that sends itself SIGTERM while a worker thread
 * creates an ONNX Runtime session of ISNet, and handles it as a run does — stop loading, wait for
 * the load, close the models, halt with exit code 1 — through {@link TerminationSignals}
 * ({@code signals}) or, as reelset did before, through a JVM shutdown hook ({@code hook}), which
 * runs beside ONNX Runtime's own hook (it releases the native environment).
 *
 * <p>Arguments: {@code signals|hook MODEL}. Prints {@code closed} before it halts.
 */
public final class SignalDuringLoadMain {
  private SignalDuringLoadMain() {}

  public static void main(String[] args) throws Exception {
    boolean signals = args[0].equals("signals");
    SegmentationModel model = SegmentationModel.isnet(args[1]);
    Runnable onSignal = () -> {
      SharedModels.refuseLoads();
      SharedModels.closeAll();
      System.out.println("closed");
      System.out.flush();
      Runtime.getRuntime().halt(1);
    };
    if (signals) {
      TerminationSignals.handle(onSignal);
    } else {
      Runtime.getRuntime().addShutdownHook(new Thread(onSignal));
    }
    // ONNX Runtime's environment (and its shutdown hook) exist before the load, as in a run
    ai.onnxruntime.OrtEnvironment.getEnvironment();
    CountDownLatch loading = new CountDownLatch(1);
    SharedModel<OnnxSegmenter> session = SharedModel.of("signal-test", () -> {
      loading.countDown();
      return OnnxSegmenter.open(model, OnnxSegmenter.Device.CPU, 1);
    });
    Thread loader = new Thread(() -> {
      try {
        session.get();
      } catch (Exception e) {
        System.out.println("load failed: " + e.getMessage());
      }
    }, "loader");
    loader.start();
    loading.await();
    new ProcessBuilder("kill", "-TERM", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
    loader.join();
    // the handler halts the process once the load has ended; this thread only waits for it
    new CountDownLatch(1).await();
  }
}
