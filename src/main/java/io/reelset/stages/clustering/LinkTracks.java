package io.reelset.stages.clustering;

import io.reelset.kit.StageMetrics;
import io.reelset.values.CharacterCrop;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import io.reelset.values.RecordCoder;
import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.Tracks;
import io.reelset.vision.cluster.Vectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Shot-aware tracks ({@link Tracks}) over assigned crops: each video's assignments, as light records
 * (key, time, box, embedding, identity; no image), are grouped per video, linked into tracks, and
 * the crops of a track take the identity most of them were given (noise does not vote; a tie goes
 * to the identity whose crops are nearer its centre on average), with their distance to its centre;
 * a track of noise stays noise. Each crop gets its track and identity back by key, the one shuffle
 * of the crops' images. Memory holds one video's light records at a time.
 */
final class LinkTracks extends PTransform<PCollection<IdentityAssignment>, PCollection<IdentityAssignment>> {
  private static final long serialVersionUID = 1L;
  private static final TupleTag<IdentityAssignment> ASSIGNED = new TupleTag<>() {};
  private static final TupleTag<Verdict> VERDICTS = new TupleTag<>() {};

  /** What linking and voting need of an assignment. */
  record Seen(String key, long ptsMs, int x, int y, int width, int height, float[] embedding, String identity,
      double distance, boolean noise) {}

  /** A crop's track and the identity its track voted for. */
  record Verdict(String track, String identity, double distance, boolean noise) {}

  private final String stageId;
  private final Tracks.Settings settings;
  private final PCollectionView<ClusterModel> model;

  LinkTracks(String stageId, Tracks.Settings settings, PCollectionView<ClusterModel> model) {
    this.stageId = stageId;
    this.settings = settings;
    this.model = model;
  }

  @Override
  public PCollection<IdentityAssignment> expand(PCollection<IdentityAssignment> assigned) {
    PCollection<KV<String, Verdict>> verdicts = assigned
        .apply("Seen", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Seen.class)))
            .via((IdentityAssignment a) -> KV.of(a.crop().videoKey(), seen(a))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(Seen.class)))
        .apply("PerVideo", GroupByKey.create())
        .apply("LinkAndVote", ParDo.of(new LinkFn(stageId, settings, model)).withSideInputs(model))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(Verdict.class)));
    PCollection<KV<String, IdentityAssignment>> keyed = assigned
        .apply("ByKey", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(IdentityAssignment.class)))
            .via((IdentityAssignment a) -> KV.of(a.key(), a)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IdentityAssignmentCoder.of()));
    return KeyedPCollectionTuple.of(ASSIGNED, keyed).and(VERDICTS, verdicts)
        .apply("Join", CoGroupByKey.create())
        .apply("Tracked", ParDo.of(new JoinFn()))
        .setCoder(IdentityAssignmentCoder.of());
  }

  private static Seen seen(IdentityAssignment a) {
    CharacterCrop k = a.crop();
    return new Seen(a.key(), k.ptsMs(), k.x(), k.y(), k.width(), k.height(), a.embedding(), a.identity(),
        a.distance(), a.isNoise());
  }

  /** Links one video's crops into tracks and gives each crop its track's vote. */
  static final class LinkFn extends DoFn<KV<String, Iterable<Seen>>, KV<String, Verdict>> {
    private static final long serialVersionUID = 1L;
    private final Tracks.Settings settings;
    private final PCollectionView<ClusterModel> model;
    private final Counter tracks;
    private final Counter linked;

    LinkFn(String stageId, Tracks.Settings settings, PCollectionView<ClusterModel> model) {
      this.settings = settings;
      this.model = model;
      String namespace = StageMetrics.namespace(stageId);
      this.tracks = Metrics.counter(namespace, "tracks");
      this.linked = Metrics.counter(namespace, "crops_in_longer_tracks");
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Seen>> video, ProcessContext context) {
      Map<String, Seen> byKey = new HashMap<>();
      List<Tracks.Point> points = new ArrayList<>();
      for (Seen s : video.getValue()) {
        byKey.put(s.key(), s);
        points.add(new Tracks.Point(s.key(), s.ptsMs(), s.x(), s.y(), s.width(), s.height(), s.embedding()));
      }
      for (Tracks.Track t : Tracks.link(points, settings)) {
        tracks.inc();
        if (t.keys().size() > 1) {
          linked.inc(t.keys().size());
        }
        List<Seen> members = new ArrayList<>();
        t.keys().forEach(k -> members.add(byKey.get(k)));
        String track = video.getKey() + "#t" + t.number();
        String winner = winner(members);
        float[] centre = winner == null ? null : centroid(context.sideInput(model), winner);
        for (Seen s : members) {
          boolean keep = winner == null || winner.equals(s.identity()) || centre == null;
          Verdict v = keep ? new Verdict(track, s.identity(), s.distance(), s.noise())
              : new Verdict(track, winner, Math.sqrt(Vectors.distanceSquared(s.embedding(), centre)), false);
          context.output(KV.of(s.key(), v));
        }
      }
    }

    /** The identity most of a track's crops have (noise does not vote), ties to the nearer on average. */
    private static String winner(List<Seen> members) {
      Map<String, double[]> votes = new TreeMap<>(); // identity -> {crops, summed distance}
      for (Seen s : members) {
        if (!s.noise()) {
          double[] v = votes.computeIfAbsent(s.identity(), k -> new double[2]);
          v[0]++;
          v[1] += s.distance();
        }
      }
      String winner = null;
      double[] best = null;
      for (Map.Entry<String, double[]> e : votes.entrySet()) {
        double[] v = e.getValue();
        if (best == null || v[0] > best[0] || v[0] == best[0] && v[1] / v[0] < best[1] / best[0]) {
          winner = e.getKey();
          best = v;
        }
      }
      return winner;
    }

    private static float[] centroid(ClusterModel model, String identity) {
      for (ClusterModel.Identity i : model.identities()) {
        if (i.name().equals(identity)) {
          return i.centroid();
        }
      }
      return null;
    }
  }

  /** Gives each assignment its track and the identity its track voted for. */
  static final class JoinFn extends DoFn<KV<String, CoGbkResult>, IdentityAssignment> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<IdentityAssignment> out) {
      Verdict v = joined.getValue().getOnly(VERDICTS, null);
      for (IdentityAssignment a : joined.getValue().getAll(ASSIGNED)) {
        out.output(v == null ? a : new IdentityAssignment(a.crop(), a.embedding(), v.identity(), v.distance(),
            v.noise() ? IdentityAssignment.Source.NOISE : IdentityAssignment.Source.CLUSTER, v.track()));
      }
    }
  }
}
