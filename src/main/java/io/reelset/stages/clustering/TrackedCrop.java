package io.reelset.stages.clustering;

import io.reelset.values.EmbeddedCrop;
import io.reelset.values.EmbeddedCropCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** An embedded crop and the id of its track ({@code ""} when tracks are off). */
record TrackedCrop(EmbeddedCrop crop, String track) implements Serializable {

  /** A crop in no track. */
  static TrackedCrop alone(EmbeddedCrop crop) {
    return new TrackedCrop(crop, "");
  }

  /** A deterministic coder: the crop, then the track id. */
  static final class Coder extends AtomicCoder<TrackedCrop> {
    private static final long serialVersionUID = 1L;
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(TrackedCrop value, OutputStream out) throws IOException {
      EmbeddedCropCoder.of().encode(value.crop(), out);
      StringUtf8Coder.of().encode(value.track(), out);
    }

    @Override
    public TrackedCrop decode(InputStream in) throws IOException {
      return new TrackedCrop(EmbeddedCropCoder.of().decode(in), StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
