package io.reelset.stages.clustering;

import io.reelset.values.EmbeddedCrop;
import io.reelset.values.RecordCoder;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.Clusterer;
import io.reelset.vision.cluster.MicroCluster;
import io.reelset.vision.cluster.MicroClusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The micro-cluster summary of all crops (one element; none when there are no crops), the same for
 * the same crops however the runner orders, bundles or retries them — so a run and its resume, or
 * two runs, find the same identities.
 *
 * <p>A summary folds embeddings in the order they come ({@link MicroClusters}: an embedding joins
 * the nearest micro-cluster and moves its centre; a full summary widens its radius), so it is built
 * in an order fixed by the data: each video's crops are grouped (light records: key and embedding),
 * sorted by key and folded into the video's summary (with {@code scope: video}, clustered there
 * too); the videos' summaries are folded in video-key order within one of {@value #BUCKETS}
 * buckets (by a hash of the video key), and the buckets' summaries {@value #FAN_IN} at a time, in
 * bucket order, up a fixed tree. Memory holds one video's light records, one bucket's video
 * summaries or {@value #FAN_IN} summaries at a time: a summary has at most {@code capacity}
 * micro-clusters however many crops it stands for.
 */
final class Summarise extends PTransform<PCollection<EmbeddedCrop>, PCollection<MicroClusters>> {
  private static final long serialVersionUID = 1L;
  /** Buckets of videos at the foot of the merge tree: a power of {@link #FAN_IN}. */
  static final int BUCKETS = 64;
  /** Summaries folded into one at each level of the tree above the buckets. */
  static final int FAN_IN = 8;

  /** What a summary needs of a crop. */
  record Point(String key, float[] embedding) {}

  private final int capacity;
  private final double radius;
  private final ClusterSettings perVideo;

  /**
   * @param perVideo the settings each video is clustered with before the merge ({@code scope:
   *     video}: a video's clusters enter the merge as one micro-cluster each), or null
   */
  Summarise(int capacity, double radius, ClusterSettings perVideo) {
    this.capacity = capacity;
    this.radius = radius;
    this.perVideo = perVideo;
  }

  @Override
  public PCollection<MicroClusters> expand(PCollection<EmbeddedCrop> crops) {
    KvCoder<Integer, MicroClusters> numbered = KvCoder.of(VarIntCoder.of(), SummaryCoder.INSTANCE);
    PCollection<KV<Integer, MicroClusters>> level = crops
        .apply("Points", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Point.class)))
            .via((EmbeddedCrop c) -> KV.of(c.crop().videoKey(), new Point(c.key(), c.embedding()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(Point.class)))
        .apply("PerVideo", GroupByKey.create())
        .apply("SummariseVideo", ParDo.of(new VideoFn(capacity, radius, perVideo)))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), SummaryCoder.INSTANCE)))
        .apply("ByBucket", GroupByKey.create())
        .apply("FoldBucket", ParDo.of(new FoldFn<String>(capacity, radius)))
        .setCoder(numbered);
    for (int width = BUCKETS; width > 1; width /= FAN_IN) {
      level = level
          .apply("Up" + width, MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(),
                  TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(MicroClusters.class))))
              .via((KV<Integer, MicroClusters> kv) -> KV.of(kv.getKey() / FAN_IN, KV.of(kv.getKey(), kv.getValue()))))
          .setCoder(KvCoder.of(VarIntCoder.of(), numbered))
          .apply("Group" + width, GroupByKey.create())
          .apply("Fold" + width, ParDo.of(new FoldFn<Integer>(capacity, radius)))
          .setCoder(numbered);
    }
    return level.apply("Root", Values.create());
  }

  /** The bucket of a video at the foot of the merge tree: a hash of its key that every JVM agrees on. */
  static int bucket(String videoKey) {
    return Math.floorMod(videoKey.hashCode(), BUCKETS);
  }

  /** A video's summary: its crops folded in key order. */
  static MicroClusters video(Iterable<Point> points, int capacity, double radius) {
    List<Point> sorted = new ArrayList<>();
    points.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Point::key));
    MicroClusters summary = new MicroClusters(capacity, radius);
    for (Point p : sorted) {
      summary.add(p.key(), p.embedding());
    }
    return summary;
  }

  /** A video's clusters as one micro-cluster each, its noise as it was: how it enters the merge. */
  static MicroClusters clustered(MicroClusters video, ClusterSettings settings, int capacity, double radius) {
    List<MicroCluster> sorted = video.sorted();
    int[] labels = Clusterer.cluster(sorted, settings);
    return MicroClusters.grouped(sorted, labels, capacity, radius);
  }

  /** Summaries folded in the order of their keys (video keys, or bucket numbers). */
  static <K extends Comparable<K>> MicroClusters fold(Iterable<KV<K, MicroClusters>> summaries, int capacity,
      double radius) {
    Map<K, MicroClusters> ordered = new TreeMap<>();
    for (KV<K, MicroClusters> kv : summaries) {
      if (ordered.put(kv.getKey(), kv.getValue()) != null) {
        throw new IllegalStateException("two summaries for " + kv.getKey());
      }
    }
    if (ordered.size() == 1) {
      return ordered.values().iterator().next();
    }
    MicroClusters folded = new MicroClusters(capacity, radius);
    for (MicroClusters s : ordered.values()) {
      folded.merge(s);
    }
    return folded;
  }

  /** A video's summary, keyed by its bucket. */
  static final class VideoFn extends DoFn<KV<String, Iterable<Point>>, KV<Integer, KV<String, MicroClusters>>> {
    private static final long serialVersionUID = 1L;
    private final int capacity;
    private final double radius;
    private final ClusterSettings perVideo;

    VideoFn(int capacity, double radius, ClusterSettings perVideo) {
      this.capacity = capacity;
      this.radius = radius;
      this.perVideo = perVideo;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Point>> video,
        OutputReceiver<KV<Integer, KV<String, MicroClusters>>> out) {
      MicroClusters summary = video(video.getValue(), capacity, radius);
      if (perVideo != null) {
        summary = clustered(summary, perVideo, capacity, radius);
      }
      out.output(KV.of(bucket(video.getKey()), KV.of(video.getKey(), summary)));
    }
  }

  /** Folds a group's summaries in the order of their keys. */
  static final class FoldFn<K extends Comparable<K>>
      extends DoFn<KV<Integer, Iterable<KV<K, MicroClusters>>>, KV<Integer, MicroClusters>> {
    private static final long serialVersionUID = 1L;
    private final int capacity;
    private final double radius;

    FoldFn(int capacity, double radius) {
      this.capacity = capacity;
      this.radius = radius;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<K, MicroClusters>>> group,
        OutputReceiver<KV<Integer, MicroClusters>> out) {
      out.output(KV.of(group.getKey(), fold(group.getValue(), capacity, radius)));
    }
  }
}
