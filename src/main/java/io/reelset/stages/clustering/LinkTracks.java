package io.reelset.stages.clustering;

import io.reelset.values.CharacterCrop;
import io.reelset.values.EmbeddedCrop;
import io.reelset.values.EmbeddedCropCoder;
import io.reelset.values.RecordCoder;
import io.reelset.vision.cluster.Tracks;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Shot-aware tracks ({@link Tracks}) over embedded crops: each video's crops, as light points
 * (key, time, box, embedding; no image), are linked where they are grouped, and every crop gets its
 * track's id back by key. Memory holds one video's points at a time, never the crops'
 * images. With tracks off every crop is its own.
 */
final class LinkTracks extends PTransform<PCollection<EmbeddedCrop>, PCollection<TrackedCrop>> {
  private static final long serialVersionUID = 1L;
  private static final TupleTag<EmbeddedCrop> CROPS = new TupleTag<>() {};
  private static final TupleTag<String> TRACKS = new TupleTag<>() {};

  private final String stageId;
  private final Tracks.Settings settings;

  /** {@code settings} null: no tracks. */
  LinkTracks(String stageId, Tracks.Settings settings) {
    this.stageId = stageId;
    this.settings = settings;
  }

  @Override
  public PCollection<TrackedCrop> expand(PCollection<EmbeddedCrop> crops) {
    if (settings == null) {
      return crops.apply("Alone", MapElements.into(TypeDescriptor.of(TrackedCrop.class)).via(TrackedCrop::alone))
          .setCoder(TrackedCrop.Coder.INSTANCE);
    }
    PCollection<KV<String, String>> tracks = crops
        .apply("Points", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(Tracks.Point.class)))
            .via((EmbeddedCrop c) -> KV.of(c.crop().videoKey(), point(c))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(Tracks.Point.class)))
        .apply("PerVideo", GroupByKey.create())
        .apply("Link", ParDo.of(new LinkFn(stageId, settings)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollection<KV<String, EmbeddedCrop>> keyed = crops
        .apply("ByKey", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(EmbeddedCrop.class)))
            .via((EmbeddedCrop c) -> KV.of(c.key(), c)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EmbeddedCropCoder.of()));
    return KeyedPCollectionTuple.of(CROPS, keyed).and(TRACKS, tracks)
        .apply("Join", CoGroupByKey.create())
        .apply("Tracked", ParDo.of(new JoinFn()))
        .setCoder(TrackedCrop.Coder.INSTANCE);
  }

  private static Tracks.Point point(EmbeddedCrop c) {
    CharacterCrop k = c.crop();
    return new Tracks.Point(k.key(), k.ptsMs(), k.x(), k.y(), k.width(), k.height(), c.embedding());
  }

  /** Links one video's points; emits each crop key with its track. */
  static final class LinkFn extends DoFn<KV<String, Iterable<Tracks.Point>>, KV<String, String>> {
    private static final long serialVersionUID = 1L;
    private final Tracks.Settings settings;
    private final Counter tracks;
    private final Counter linked;

    LinkFn(String stageId, Tracks.Settings settings) {
      this.settings = settings;
      String namespace = io.reelset.kit.StageMetrics.namespace(stageId);
      this.tracks = Metrics.counter(namespace, "tracks");
      this.linked = Metrics.counter(namespace, "crops_in_longer_tracks");
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Tracks.Point>> video,
        OutputReceiver<KV<String, String>> out) {
      List<Tracks.Point> points = new ArrayList<>();
      video.getValue().forEach(points::add);
      for (Tracks.Track t : Tracks.link(points, settings)) {
        tracks.inc();
        if (t.keys().size() > 1) {
          linked.inc(t.keys().size());
        }
        String track = video.getKey() + "#t" + t.number();
        for (String key : t.keys()) {
          out.output(KV.of(key, track));
        }
      }
    }
  }

  /** Puts each crop and its track together. */
  static final class JoinFn extends DoFn<KV<String, CoGbkResult>, TrackedCrop> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<TrackedCrop> out) {
      String track = joined.getValue().getOnly(TRACKS, "");
      for (EmbeddedCrop crop : joined.getValue().getAll(CROPS)) {
        out.output(new TrackedCrop(crop, track));
      }
    }
  }
}
