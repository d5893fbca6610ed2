package io.reelset.stages.clustering;

import io.reelset.compile.CompiledPipeline;
import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import io.reelset.testing.TestCropsProvider;
import io.reelset.values.IdentityAssignment;
import io.reelset.vision.ClusterQuality;
import io.reelset.vision.RealClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The identity benchmark: how well the clustering stage finds the characters of labelled sets —
 * real footage labelled by hand ({@link RealClips}: Planet Blupi's clips, Fish Fillets' intro, and
 * Planet Blupi's other clips held out from every default) and composites of character art over
 * backgrounds — for each embedder, with and without tracks.
 * Scores count the crops labelled as characters (ARI and purity against the labels, noise as one
 * more group); crops that are not characters are reported apart: how many were given an identity.
 *
 * <p>{@code scripts/bench-identity.sh} prints the whole table; {@code IdentityBenchmarkIT} holds the
 * default to its floors.
 */
public final class IdentityBenchmark {
  private static final StageRegistry REGISTRY = StageRegistry.discover();
  private static final Map<String, Queue<IdentityAssignment>> RESULTS = new ConcurrentHashMap<>();

  /**
   * A labelled set: its name, the {@code test_crops} config that emits it, whether it is real
   * footage, and whether it was held out from the choice of every default.
   */
  public record LabelledSet(String name, String crops, boolean real, boolean heldOut) {}

  /** The sets: the real ones first, then composites of character art. */
  public static final List<LabelledSet> SETS = List.of(
      new LabelledSet("blupi (real)", "{clips: blupi}", true, false),
      new LabelledSet("fillets (real)", "{clips: fillets}", true, false),
      new LabelledSet("blupi-b (real, held out)", "{clips: blupi-b}", true, true),
      new LabelledSet("art 24/7", "{per_identity: 24, seed: 7}", false, false),
      new LabelledSet("art 36/3", "{per_identity: 36, seed: 3}", false, false),
      new LabelledSet("art 30/13", "{per_identity: 30, seed: 13}", false, false));

  /**
   * One set's score under one clustering config.
   *
   * @param notCharactersKept crops that are not characters but were given an identity
   * @param notCharactersMixed of those, the ones whose identity holds characters too (the rest are
   *     identities of their own, which a user drops whole)
   */
  public record Score(String set, int characters, double ari, double purity, int identities, long noise,
      int notCharacters, long notCharactersKept, long notCharactersMixed) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-15s %4d crops  ARI %.3f  purity %.3f  %2d identities  %3d noise"
          + "  non-characters kept %d of %d (%d among characters)", set, characters, ari, purity, identities, noise,
          notCharactersKept, notCharacters, notCharactersMixed);
    }
  }

  private IdentityBenchmark() {}

  /** Runs the clustering stage with {@code clustering} over {@code set}; scores what it assigned. */
  public static Score measure(LabelledSet set, String clustering, Path work) throws Exception {
    String id = UUID.randomUUID().toString();
    Path dir = Files.createDirectories(work.resolve(id));
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, "name: benchmark\nstages:\n"
        + "  - id: crops\n    type: test_crops\n    config: " + set.crops() + "\n"
        + "  - id: ids\n    type: clustering\n    depends_on: [crops]\n    config: " + clustering + "\n");
    Pipeline pipeline = ClusteringIT.pipeline();
    Plan plan = PlanLoader.load(spec, "spec.yaml", Map.of(), REGISTRY, dir.resolve("run").toString());
    CompiledPipeline compiled = PipelineCompiler.compile(pipeline, plan, REGISTRY, dir.resolve("run").toString());
    @SuppressWarnings("unchecked")
    PCollection<IdentityAssignment> assigned = (PCollection<IdentityAssignment>) compiled.outputs().get("ids");
    RESULTS.put(id, new ConcurrentLinkedQueue<>());
    assigned.apply("Collect", ParDo.of(new Collect(id)));
    pipeline.run().waitUntilFinish();
    return score(set.name(), RESULTS.remove(id));
  }

  static Score score(String set, Iterable<IdentityAssignment> assignments) {
    List<String> truth = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    List<String> notCharacterIdentities = new ArrayList<>();
    for (IdentityAssignment a : assignments) {
      String label = TestCropsProvider.truth(a.crop());
      if (Boolean.getBoolean("reelset.benchDetail") && set.contains("real")) {
        System.out.printf(Locale.ROOT, "  %-10s %-14s %-12s d=%.3f %s%n", label, a.identity(), a.track()
            .replaceFirst(".*#t", "t"), a.distance(), a.crop().frameKey().replaceFirst(".*/", ""));
      }
      if (label.equals(RealClips.NOT_A_CHARACTER) || label.equals(RealClips.UNLABELLED)) {
        notCharacterIdentities.add(a.identity());
        continue;
      }
      truth.add(label);
      predicted.add(a.identity());
    }
    Map<String, String> trackIdentity = new java.util.HashMap<>();
    for (IdentityAssignment a : assignments) {
      if (!a.track().isEmpty() && !a.identity().equals(trackIdentity.computeIfAbsent(a.track(), t -> a.identity()))) {
        throw new AssertionError("track " + a.track() + " has crops of " + a.identity() + " and "
            + trackIdentity.get(a.track()));
      }
    }
    HashSet<String> identities = new HashSet<>(predicted);
    identities.remove("noise");
    return new Score(set, truth.size(), ClusterQuality.adjustedRandIndex(truth, predicted),
        ClusterQuality.purity(truth, predicted), identities.size(),
        predicted.stream().filter("noise"::equals).count(), notCharacterIdentities.size(),
        notCharacterIdentities.stream().filter(i -> !i.equals("noise")).count(),
        notCharacterIdentities.stream().filter(identities::contains).count());
  }

  private static final class Collect extends DoFn<IdentityAssignment, Void> {
    private static final long serialVersionUID = 1L;
    private final String id;

    Collect(String id) {
      this.id = id;
    }

    @ProcessElement
    public void process(@Element IdentityAssignment a) {
      RESULTS.get(id).add(a);
    }
  }

  /** The variants the script compares: the embedders, each with and without tracks. */
  static Map<String, String> variants() {
    Map<String, String> v = new LinkedHashMap<>();
    for (String embedder : List.of("palette", "cnn", "palette+cnn")) {
      v.put(embedder + ", tracks", "{embedder: " + embedder + ", device: cpu}");
      v.put(embedder + ", no tracks", "{embedder: " + embedder + ", device: cpu, tracks: {enabled: false}}");
    }
    return v;
  }

  /**
   * Prints every variant's score on every set, and each variant's mean ARI. Arguments: variant
   * names to run (all when none), or {@code NAME=CONFIG} for a config of one's own.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> variants = variants();
    if (args.length > 0) {
      Map<String, String> chosen = new LinkedHashMap<>();
      for (String a : args) {
        int eq = a.indexOf('=');
        if (eq > 0) {
          chosen.put(a.substring(0, eq), a.substring(eq + 1));
        } else {
          chosen.put(a, variants.get(a));
        }
      }
      variants = chosen;
    }
    Path work = Files.createTempDirectory("identity-benchmark");
    for (Map.Entry<String, String> variant : variants.entrySet()) {
      double sum = 0;
      double min = 1;
      int sets = 0;
      for (LabelledSet set : SETS) {
        if (Boolean.getBoolean("reelset.realOnly") && !set.real()) {
          continue;
        }
        Score s = measure(set, variant.getValue(), work);
        System.out.println(variant.getKey() + "  " + s);
        if (set.heldOut()) {
          continue;
        }
        sum += s.ari();
        min = Math.min(min, s.ari());
        sets++;
      }
      System.out.printf(Locale.ROOT, "%s: mean ARI %.3f, lowest %.3f over the sets the defaults were chosen on  (%s)%n%n",
          variant.getKey(), sum / sets, min, variant.getValue());
    }
  }
}
