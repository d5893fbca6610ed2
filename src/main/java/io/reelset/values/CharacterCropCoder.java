package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A deterministic coder for {@link CharacterCrop}. */
public final class CharacterCropCoder extends AtomicCoder<CharacterCrop> {
  private static final long serialVersionUID = 1L;
  private static final CharacterCropCoder INSTANCE = new CharacterCropCoder();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  public static CharacterCropCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(CharacterCrop c, OutputStream out) throws IOException {
    TEXT.encode(c.frameKey(), out);
    TEXT.encode(c.videoKey(), out);
    LONG.encode(c.ptsMs(), out);
    for (int v : new int[] {c.instance(), c.x(), c.y(), c.width(), c.height(), c.frameWidth(), c.frameHeight()}) {
      INT.encode(v, out);
    }
    DOUBLE.encode(c.areaFraction(), out);
    DOUBLE.encode(c.quality(), out);
    BYTES.encode(c.png(), out);
    INT.encode(c.tags().size(), out);
    for (Tag tag : c.tags()) {
      TagCoder.of().encode(tag, out);
    }
  }

  @Override
  public CharacterCrop decode(InputStream in) throws IOException {
    CharacterCrop crop = new CharacterCrop(TEXT.decode(in), TEXT.decode(in), LONG.decode(in), INT.decode(in),
        INT.decode(in), INT.decode(in), INT.decode(in), INT.decode(in), INT.decode(in), INT.decode(in),
        DOUBLE.decode(in), DOUBLE.decode(in), BYTES.decode(in));
    int count = INT.decode(in);
    if (count < 0 || count > 100_000) {
      throw new IOException("corrupt tag count " + count);
    }
    if (count == 0) {
      return crop;
    }
    List<Tag> tags = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tags.add(TagCoder.of().decode(in));
    }
    return crop.withTags(tags);
  }

  @Override
  public void verifyDeterministic() {}
}
