package io.reelset.stages.clustering;

import io.reelset.values.EmbeddedCropCoder;
import io.reelset.vision.cluster.MicroCluster;
import io.reelset.vision.cluster.MicroClusters;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;

/** A compact coder for summaries: counts, sums and keys, no Java serialization. */
final class SummaryCoder extends CustomCoder<MicroClusters> {
  private static final long serialVersionUID = 1L;
  static final SummaryCoder INSTANCE = new SummaryCoder();

  @Override
  public void encode(MicroClusters value, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(value.capacity());
    data.writeDouble(value.radius());
    data.writeInt(value.clusters().size());
    data.writeInt(value.dimension());
    for (MicroCluster c : value.clusters()) {
      data.writeLong(c.count());
      data.writeDouble(c.sumOfSquares());
      // the sum in one write (big-endian, as writeDouble would): it is most of the summary
      EmbeddedCropCoder.writeDoubles(c.sum(), data);
      List<String> keys = c.keys();
      data.writeInt(keys.size());
      for (String key : keys) {
        data.writeUTF(key);
      }
    }
    data.flush();
  }

  @Override
  public MicroClusters decode(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    MicroClusters value = new MicroClusters(data.readInt(), data.readDouble());
    int n = data.readInt();
    int dimension = data.readInt();
    for (int i = 0; i < n; i++) {
      long count = data.readLong();
      double squares = data.readDouble();
      double[] sum = EmbeddedCropCoder.readDoubles(data, dimension);
      int keyCount = data.readInt();
      List<String> keys = new ArrayList<>();
      for (int k = 0; k < keyCount; k++) {
        keys.add(data.readUTF());
      }
      value.restore(new MicroCluster(count, sum, squares, keys));
    }
    return value;
  }

  @Override
  public void verifyDeterministic() {
    // the micro-clusters in their list's order, lengths first: the same summary, the same bytes
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SummaryCoder;
  }

  @Override
  public int hashCode() {
    return SummaryCoder.class.hashCode();
  }
}
