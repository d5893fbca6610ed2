package io.reelset.stages.frames;

import io.reelset.kit.OutputFiles;
import io.reelset.values.Frame;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Writes each frame to {@code <output_dir>/<video key>/<pts ms, 9 digits>.<jpg|png>}, under a
 * temporary name first, and passes it on. A rerun writes the same names again.
 */
final class WriteFramesFn extends DoFn<Frame, Frame> {
  private static final long serialVersionUID = 1L;
  private final String outputDir;

  WriteFramesFn(String outputDir) {
    this.outputDir = outputDir;
  }

  @ProcessElement
  public void process(@Element Frame frame, OutputReceiver<Frame> out) throws IOException {
    String dir = outputDir.endsWith("/") ? outputDir + frame.videoKey() : outputDir + "/" + frame.videoKey();
    OutputFiles.writeBytes(dir, frame.paddedPts() + "." + frame.format(), frame.image());
    out.output(frame);
  }
}
