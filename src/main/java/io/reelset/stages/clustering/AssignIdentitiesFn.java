package io.reelset.stages.clustering;

import io.reelset.values.EmbeddedCrop;
import io.reelset.values.IdentityAssignment;
import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.Vectors;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Gives every crop the identity of its nearest micro-cluster in the model (a side input), with its
 * track; {@link Vote} then gives the crops of one track one identity.
 */
final class AssignIdentitiesFn extends DoFn<TrackedCrop, IdentityAssignment> {
  private static final long serialVersionUID = 1L;
  private final PCollectionView<ClusterModel> model;

  AssignIdentitiesFn(PCollectionView<ClusterModel> model) {
    this.model = model;
  }

  @ProcessElement
  public void process(@Element TrackedCrop tracked, ProcessContext context) {
    EmbeddedCrop crop = tracked.crop();
    ClusterModel.Assignment a = context.sideInput(model).assign(crop.embedding());
    context.output(new IdentityAssignment(crop.crop(), crop.embedding(), a.identity(), a.distance(),
        a.isNoise() ? IdentityAssignment.Source.NOISE : IdentityAssignment.Source.CLUSTER, tracked.track()));
  }

  /**
   * The crops of one track take the identity most of them were given (noise does not vote; a tie
   * goes to the identity whose crops are nearer its centre on average), with their distance to its
   * centre; a track of noise stays noise.
   */
  static final class Vote extends DoFn<KV<String, Iterable<IdentityAssignment>>, IdentityAssignment> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<ClusterModel> model;

    Vote(PCollectionView<ClusterModel> model) {
      this.model = model;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<IdentityAssignment>> track, ProcessContext context) {
      Map<String, double[]> votes = new TreeMap<>(); // identity -> {crops, summed distance}
      for (IdentityAssignment a : track.getValue()) {
        if (!a.isNoise()) {
          double[] v = votes.computeIfAbsent(a.identity(), k -> new double[2]);
          v[0]++;
          v[1] += a.distance();
        }
      }
      String winner = null;
      for (Map.Entry<String, double[]> e : votes.entrySet()) {
        double[] v = e.getValue();
        double[] best = winner == null ? null : votes.get(winner);
        if (best == null || v[0] > best[0] || v[0] == best[0] && v[1] / v[0] < best[1] / best[0]) {
          winner = e.getKey();
        }
      }
      float[] centre = null;
      if (winner != null) {
        for (ClusterModel.Identity identity : context.sideInput(model).identities()) {
          if (identity.name().equals(winner)) {
            centre = identity.centroid();
          }
        }
      }
      for (IdentityAssignment a : track.getValue()) {
        if (winner == null || winner.equals(a.identity()) || centre == null) {
          context.output(a);
        } else {
          context.output(new IdentityAssignment(a.crop(), a.embedding(), winner,
              Math.sqrt(Vectors.distanceSquared(a.embedding(), centre)), IdentityAssignment.Source.CLUSTER,
              a.track()));
        }
      }
    }
  }
}
