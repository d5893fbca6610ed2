package io.reelset.stages.dataset;

import io.reelset.values.Frame;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The regularisation subset: frames in which segmentation found no character — the scenery the
 * pipeline used to drop — chosen evenly over the corpus by a hash of their keys, written like the
 * crops into {@code reg/1_<class>} and listed in {@code dataset_config.toml} with
 * {@code is_reg = true}. Only frame keys cross a shuffle; the images themselves are read once,
 * by a filter on the chosen keys.
 */
final class Regularisation {
  private Regularisation() {}

  /** Orders hashed keys by their hash, then by the key: the smallest first, as {@link Top} takes the largest. */
  static final class ByHash implements Comparator<KV<Long, String>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(KV<Long, String> a, KV<Long, String> b) {
      int order = Long.compare(b.getKey(), a.getKey());
      return order != 0 ? order : b.getValue().compareTo(a.getValue());
    }
  }

  /** The chosen frames as whole-frame assignments, and their keys in hash order. */
  record Chosen(PCollection<IdentityAssignment> assignments, PCollectionView<List<String>> keys) {}

  /** Up to {@code count} frames without any crop, as whole-frame assignments. */
  static Chosen frames(PCollection<Frame> frames, PCollection<IdentityAssignment> assignments,
      int count) {
    // 1: a frame; 2: a frame some crop came from; a frame whose bits are 1 has no character
    PCollection<KV<String, Integer>> seen = frames
        .apply("RegFrameKeys", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
            TypeDescriptors.integers())).via((Frame f) -> KV.of(f.key(), 1)));
    PCollection<KV<String, Integer>> withCrops = assignments
        .apply("RegCropFrames", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
            TypeDescriptors.integers())).via((IdentityAssignment a) -> KV.of(a.crop().frameKey(), 2)));
    PCollectionView<List<String>> chosen = PCollectionList.of(seen).and(withCrops)
        .apply("RegKeys", Flatten.pCollections())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
        .apply("RegPerFrame", Combine.perKey((Iterable<Integer> bits) -> {
          int all = 0;
          for (int b : bits) {
            all |= b;
          }
          return all;
        }))
        .apply("RegWithout", Filter.by((KV<String, Integer> kv) -> kv.getValue() == 1))
        // each key hashed once, not at every comparison
        .apply("RegHash", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings()))
            .via((KV<String, Integer> kv) -> KV.of(Curation.hash(kv.getKey()), kv.getKey())))
        .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))
        .apply("RegChoose", Top.of(count, new ByHash()))
        .apply("RegKeys", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
            .via((List<KV<Long, String>> top) -> top.stream().map(KV::getValue).toList()))
        .apply("RegChosen", View.asSingleton());
    PCollection<IdentityAssignment> regFrames = frames
        .apply("RegFrames", ParDo.of(new DoFn<Frame, IdentityAssignment>() {
          private static final long serialVersionUID = 1L;

          @ProcessElement
          public void process(@Element Frame frame, ProcessContext context) {
            if (context.sideInput(chosen).contains(frame.key())) {
              context.output(DatasetFns.regularisation(frame));
            }
          }
        }).withSideInputs(chosen))
        .setCoder(IdentityAssignmentCoder.of());
    return new Chosen(regFrames, chosen);
  }

  /** Each chosen frame's place: {@code reg_<nnnn>} by its rank in the hash order. */
  static final class SelectionFn extends DoFn<IdentityAssignment, KV<String, DatasetFns.Selection>> {
    private static final long serialVersionUID = 1L;
    private final DatasetSettings settings;
    private final PCollectionView<List<String>> keys;
    private transient List<String> rankedFrom;
    private transient java.util.Map<String, Integer> ranks;

    SelectionFn(DatasetSettings settings, PCollectionView<List<String>> keys) {
      this.settings = settings;
      this.keys = keys;
    }

    @ProcessElement
    public void process(@Element IdentityAssignment a, ProcessContext context) {
      List<String> chosen = context.sideInput(keys);
      if (rankedFrom != chosen) {
        ranks = new java.util.HashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
          ranks.put(chosen.get(i), i + 1);
        }
        rankedFrom = chosen;
      }
      context.output(KV.of(a.key(), new DatasetFns.Selection(DatasetFns.REG, DatasetFns.REG,
          settings.regClassTokens(), ranks.get(a.crop().frameKey()), 1, DatasetFns.REG)));
    }
  }
}
