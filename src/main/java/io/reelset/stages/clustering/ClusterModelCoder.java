package io.reelset.stages.clustering;

import io.reelset.vision.cluster.ClusterModel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** The cluster model as the side input every worker reads: its arrays in order, deterministic. */
final class ClusterModelCoder extends AtomicCoder<ClusterModel> {
  private static final long serialVersionUID = 1L;

  @Override
  public void encode(ClusterModel model, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    model.writeTo(data);
    data.flush();
  }

  @Override
  public ClusterModel decode(InputStream in) throws IOException {
    return ClusterModel.readFrom(new DataInputStream(in));
  }

  @Override
  public void verifyDeterministic() {
    // arrays written in order, lengths first
  }
}
