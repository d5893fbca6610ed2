package io.reelset.stages.frames;

import io.reelset.kit.StageMetrics;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import io.reelset.values.RecordCoder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
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
 * Keeps, per video, with {@code shots} sampling the frames its {@link ShotChoice} chooses, then the
 * frames at least {@code minIntervalMs} after the last kept one and not within {@code maxDistance}
 * bits (dHash) of any kept one, walking the video in time order.
 *
 * <p>These rules depend on other frames of the video, so they run here, after decoding, over small
 * (timestamp, hash) stamps grouped by video; the frames themselves are then joined back by key.
 * The result does not depend on how decoding was split. With no interval and no de-duplication
 * it passes the frames through untouched.
 */
final class SelectFrames extends PTransform<PCollection<Frame>, PCollection<Frame>> {
  private static final long serialVersionUID = 1L;
  private final String stageId;
  private final long minIntervalMs;
  private final int maxDistance;
  private final boolean acrossVideos;
  private final ShotChoice shots;
  private final double cutThreshold;

  /**
   * @param maxDistance Hamming distance at or below which two frames are duplicates; -1 for none
   * @param acrossVideos also drop a frame that is a duplicate of one kept from another video
   * @param shots the choice per shot of {@code shots} sampling, or null to keep every candidate
   * @param cutThreshold the scene score above which a frame starts a shot
   */
  SelectFrames(String stageId, long minIntervalMs, int maxDistance, boolean acrossVideos, ShotChoice shots,
      double cutThreshold) {
    this.stageId = stageId;
    this.minIntervalMs = minIntervalMs;
    this.maxDistance = maxDistance;
    this.acrossVideos = acrossVideos && maxDistance >= 0;
    this.shots = shots;
    this.cutThreshold = cutThreshold;
  }

  /** What the choice needs of a frame. */
  record Stamp(String frameKey, long ptsMs, long dHash, boolean cut, double sharpness)
      implements Serializable, ShotChoice.Candidate {}

  /** A frame a video kept, for the choice across videos. */
  record Kept(String videoKey, String frameKey, long ptsMs, long dHash) implements Serializable {}

  @Override
  public PCollection<Frame> expand(PCollection<Frame> frames) {
    if (minIntervalMs <= 0 && maxDistance < 0 && shots == null) {
      return frames;
    }
    double threshold = cutThreshold;
    PCollection<Kept> chosen = frames
        .apply("Stamps", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Stamp.class)))
            .via(f -> KV.of(f.videoKey(), new Stamp(f.key(), f.ptsMs(), f.dHash(), f.sceneScore() > threshold,
                f.sharpness()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(Stamp.class)))
        .apply("ByVideo", GroupByKey.create())
        .apply("Choose", ParDo.of(new ChooseFn(stageId, minIntervalMs, maxDistance, shots)))
        .setCoder(RecordCoder.of(Kept.class));
    PCollection<KV<String, Void>> kept = acrossVideos
        ? chosen
            .apply("AllVideos", WithKeys.of(""))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(Kept.class)))
            .apply("Corpus", GroupByKey.create())
            .apply("ChooseAcross", ParDo.of(new AcrossVideosFn(stageId, maxDistance)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VoidCoder.of()))
        : chosen
            .apply("KeptKeys", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.voids()))
                .via(k -> KV.of(k.frameKey(), (Void) null)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VoidCoder.of()));
    TupleTag<Frame> frameTag = new TupleTag<>();
    TupleTag<Void> keptTag = new TupleTag<>();
    PCollection<KV<String, Frame>> keyed = frames
        .apply("ByFrameKey", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Frame.class)))
            .via(f -> KV.of(f.key(), f)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), FrameCoder.of()));
    return KeyedPCollectionTuple.of(frameTag, keyed).and(keptTag, kept)
        .apply("Join", CoGroupByKey.create())
        .apply("Kept", ParDo.of(new KeptFn(frameTag, keptTag)))
        .setCoder(FrameCoder.of());
  }

  /** Walks one video's stamps in time order and names the frames to keep. */
  static final class ChooseFn extends DoFn<KV<String, Iterable<Stamp>>, Kept> {
    private static final long serialVersionUID = 1L;
    private final long minIntervalMs;
    private final int maxDistance;
    private final ShotChoice shots;
    private final Counter tooClose;
    private final Counter duplicates;
    private final Counter shotsSeen;
    private final Counter shotsTooShort;

    ChooseFn(String stageId, long minIntervalMs, int maxDistance, ShotChoice shots) {
      this.minIntervalMs = minIntervalMs;
      this.maxDistance = maxDistance;
      this.shots = shots;
      this.tooClose = Metrics.counter(StageMetrics.namespace(stageId), "frames_too_close");
      this.duplicates = Metrics.counter(StageMetrics.namespace(stageId), "frames_duplicate");
      this.shotsSeen = Metrics.counter(StageMetrics.namespace(stageId), "shots");
      this.shotsTooShort = Metrics.counter(StageMetrics.namespace(stageId), "shots_too_short");
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Stamp>> video, OutputReceiver<Kept> out) {
      List<Stamp> stamps = new ArrayList<>();
      video.getValue().forEach(stamps::add);
      if (shots != null) {
        ShotChoice.Chosen<Stamp> chosen = shots.choose(stamps);
        shotsSeen.inc(chosen.shots());
        shotsTooShort.inc(chosen.tooShort());
        stamps = chosen.frames();
      }
      stamps.sort(Comparator.comparingLong(Stamp::ptsMs));
      HammingIndex keptHashes = maxDistance >= 0 ? new HammingIndex(maxDistance) : null;
      long lastKeptMs = Long.MIN_VALUE;
      for (Stamp stamp : stamps) {
        if (lastKeptMs != Long.MIN_VALUE && stamp.ptsMs() - lastKeptMs < minIntervalMs) {
          tooClose.inc();
          continue;
        }
        if (keptHashes != null) {
          if (keptHashes.hasWithin(stamp.dHash())) {
            duplicates.inc();
            continue;
          }
          keptHashes.add(stamp.dHash());
        }
        lastKeptMs = stamp.ptsMs();
        out.output(new Kept(video.getKey(), stamp.frameKey(), stamp.ptsMs(), stamp.dHash()));
      }
    }
  }

  /**
   * Walks every video's kept frames, videos in key order and each in time order, and keeps a frame
   * unless it is within {@code maxDistance} bits of one kept before it: so of an opening that every
   * episode repeats, the first episode's frames stay. Holds the corpus's stamps in one worker (a few
   * hundred bytes a frame: two keys, a time, a hash) and finds near hashes through an index, not by
   * comparing every pair.
   */
  static final class AcrossVideosFn extends DoFn<KV<String, Iterable<Kept>>, KV<String, Void>> {
    private static final long serialVersionUID = 1L;
    private final int maxDistance;
    private final Counter duplicates;

    AcrossVideosFn(String stageId, int maxDistance) {
      this.maxDistance = maxDistance;
      this.duplicates = Metrics.counter(StageMetrics.namespace(stageId), "frames_duplicate_across_videos");
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Kept>> corpus, OutputReceiver<KV<String, Void>> out) {
      List<Kept> all = new ArrayList<>();
      corpus.getValue().forEach(all::add);
      all.sort(Comparator.comparing(Kept::videoKey).thenComparingLong(Kept::ptsMs).thenComparing(Kept::frameKey));
      HammingIndex index = new HammingIndex(maxDistance);
      for (Kept frame : all) {
        if (index.hasWithin(frame.dHash())) {
          duplicates.inc();
          continue;
        }
        index.add(frame.dHash());
        out.output(KV.of(frame.frameKey(), null));
      }
    }
  }

  /** Emits a frame when its key was chosen. */
  static final class KeptFn extends DoFn<KV<String, CoGbkResult>, Frame> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<Frame> frameTag;
    private final TupleTag<Void> keptTag;

    KeptFn(TupleTag<Frame> frameTag, TupleTag<Void> keptTag) {
      this.frameTag = frameTag;
      this.keptTag = keptTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<Frame> out) {
      if (joined.getValue().getAll(keptTag).iterator().hasNext()) {
        for (Frame frame : joined.getValue().getAll(frameTag)) {
          out.output(frame);
          return; // a frame key is unique: one video, one timestamp
        }
      }
    }
  }
}
