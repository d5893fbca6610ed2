package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A deterministic coder for {@link DatasetRecord}. */
public final class DatasetRecordCoder extends AtomicCoder<DatasetRecord> {
  private static final long serialVersionUID = 1L;
  private static final DatasetRecordCoder INSTANCE = new DatasetRecordCoder();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
  private static final VarIntCoder INT = VarIntCoder.of();

  public static DatasetRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DatasetRecord r, OutputStream out) throws IOException {
    for (String s : new String[] {r.identity(), r.name(), r.trigger(), r.file(), r.caption(), r.split()}) {
      TEXT.encode(s, out);
    }
    INT.encode(r.width(), out);
    INT.encode(r.height(), out);
    INT.encode(r.repeats(), out);
    TEXT.encode(r.cropKey(), out);
    TEXT.encode(r.videoKey(), out);
    VarLongCoder.of().encode(r.ptsMs(), out);
    TEXT.encode(r.track(), out);
  }

  @Override
  public DatasetRecord decode(InputStream in) throws IOException {
    return new DatasetRecord(TEXT.decode(in), TEXT.decode(in), TEXT.decode(in), TEXT.decode(in), TEXT.decode(in),
        TEXT.decode(in), INT.decode(in), INT.decode(in), INT.decode(in), TEXT.decode(in), TEXT.decode(in),
        VarLongCoder.of().decode(in), TEXT.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
