package io.reelset.stages.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.compile.CompiledPipeline;
import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import io.reelset.spec.SpecProblem;
import io.reelset.spec.StageConfig;
import io.reelset.spec.YamlReader;
import io.reelset.spec.YamlValue;
import io.reelset.values.Failure;
import io.reelset.values.IdentityAssignment;
import io.reelset.vision.PngWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clustering stage's config checks, failures and empty input, without media. */
class ClusteringStageTest {
  private static final StageRegistry REGISTRY = StageRegistry.discover();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static StageConfig config(String yaml) throws Exception {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, Object> values = new ClusteringProvider().configSchema().validate(
        yaml.isEmpty() ? null : (YamlValue.Mapping) YamlReader.parse(yaml, "c.yaml"), "ids", "config", null, problems);
    assertEquals(List.of(), problems);
    return new StageConfig(values);
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void badCombinationsNameTheField() throws Exception {
    assertEquals(List.of("c.yaml:1:1: stage 'ids': config.k: method kmeans needs k, the number of identities"
        + " (an integer of at least 1)"), problems("method: kmeans\n"));
    assertEquals(List.of("c.yaml:1:8: stage 'ids': config.model: is only used with embedder: onnx (the palette"
        + " embedder needs no model)"), problems("model: m.onnx\n"));
    assertEquals(List.of("c.yaml:1:1: stage 'ids': config.model: embedder onnx needs model, the path of an ONNX"
        + " image-embedding model (see the README for CCIP and CLIP)"), problems("embedder: onnx\n"));
    assertEquals(List.of("c.yaml:1:1: stage 'ids': config.model: embedder ccip needs model, the path of the CCIP"
        + " feature model you downloaded (ccip-caformer-5_fp32_feat.onnx from deepghs/imgutils-models on Hugging"
        + " Face; see the README)"), problems("embedder: ccip\n"));
    assertEquals(List.of("c.yaml:3:13: stage 'ids': config.background: 'white' is not a colour; write #RRGGBB",
        "c.yaml:4:13: stage 'ids': config.references: name at least one reference (name: directory or glob), or"
            + " leave references out"), problems("embedder: onnx\nmodel: m.onnx\nbackground: white\nreferences: {}\n"));
    List<String> missing = preflight("embedder: onnx\nmodel: " + dir.resolve("nope.onnx") + "\n");
    assertEquals(1, missing.size(), missing.toString());
    assertTrue(missing.get(0).startsWith("stage 'ids': config.model: model file " + dir.resolve("nope.onnx")
        + " does not exist; expected an ONNX image-embedding model"), missing.get(0));
    assertEquals(List.of(), preflight(""), "the palette needs no model");
  }

  private static List<String> problems(String yaml) throws Exception {
    List<SpecProblem> problems = new ArrayList<>();
    new ClusteringProvider().configSchema().validate((YamlValue.Mapping) YamlReader.parse(yaml, "c.yaml"), "ids",
        "config", null, problems);
    problems.sort(SpecProblem.BY_POSITION);
    return problems.stream().map(SpecProblem::render).toList();
  }

  /** The preflight problems of a config: a model that does not load is one, before anything runs. */
  private List<String> preflight(String yaml) throws Exception {
    StageConfig config = config(yaml);
    io.reelset.kit.Preflight checks = new io.reelset.kit.Preflight();
    new ClusteringProvider().preflight(new io.reelset.compile.StageContext("ids", ClusteringProvider.TYPE, config,
        dir.toString(), dir.toString(), null), checks);
    return checks.problems();
  }

  @Test
  void referencesAreCheckedWhenThePipelineIsBuilt() throws Exception {
    Path alice = Files.createDirectories(dir.resolve("refs/alice"));
    Files.write(alice.resolve("a.png"), PngWriter.write(new int[] {0xffff0000, 0xffff0000}, 2, 1, true));
    Files.writeString(alice.resolve("notes.txt"), "not an image");
    Files.createDirectories(dir.resolve("refs/empty"));
    ReferenceImages loaded = ReferenceImages.load(Map.of("alice", alice.toString()), "ids");
    assertEquals(1, loaded.byName().get("alice").size(), "only images are read");
    ReferenceImages globbed = ReferenceImages.load(Map.of("alice", dir + "/refs/*/*.png"), "ids");
    assertEquals(1, globbed.byName().get("alice").size());

    assertEquals("stage 'ids': config.references.bob: " + dir.resolve("refs/bob") + " does not exist; give a"
        + " directory of images of this character, or a glob such as refs/alice/*.png",
        error(() -> ReferenceImages.load(Map.of("bob", dir.resolve("refs/bob").toString()), "ids")));
    assertEquals("stage 'ids': config.references.carol: no image (.png, .jpg, .jpeg, .bmp, .gif) in "
        + dir.resolve("refs/empty"),
        error(() -> ReferenceImages.load(Map.of("carol", dir.resolve("refs/empty").toString()), "ids")));
    assertEquals("stage 'ids': config.references.noise: 'noise' cannot name a reference (noise and identity_NNN"
        + " are the names of unmatched crops and clusters)",
        error(() -> ReferenceImages.load(Map.of("noise", alice.toString()), "ids")));
  }

  private CompiledPipeline compile(Pipeline pipeline, String yaml) throws Exception {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, yaml);
    Plan plan = PlanLoader.load(spec, "spec.yaml", Map.of(), REGISTRY, dir.resolve("run").toString());
    return PipelineCompiler.compile(pipeline, plan, REGISTRY, dir.resolve("run").toString());
  }

  private JsonNode report() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("run"))) {
      Path file = files.filter(p -> p.getFileName().toString().equals("clusters.json")).findFirst().orElseThrow();
      return JSON.readTree(file.toFile());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void emptyInputGivesAnEmptyModelAndSaysSo() throws Exception {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    CompiledPipeline compiled = compile(pipeline, """
        name: empty
        stages:
          - id: crops
            type: test_crops
            config: {per_identity: 0}
          - id: ids
            type: clustering
            depends_on: [crops]
        """);
    PAssert.that((PCollection<IdentityAssignment>) compiled.outputs().get("ids")).empty();
    pipeline.run().waitUntilFinish();
    JsonNode report = report();
    assertEquals(0, report.get("crops").asInt());
    assertEquals(0, report.get("identities").asInt());
    assertTrue(report.get("message").asText().contains("nothing to cluster"));
    try (Stream<Path> files = Files.walk(dir.resolve("run"))) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().equals(IdentitiesTemplate.FILE)),
          "no identity, no identities.yaml to start from");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aCropThatCannotBeEmbeddedFailsAlone() throws Exception {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    CompiledPipeline compiled = compile(pipeline, """
        name: broken
        stages:
          - id: crops
            type: test_crops
            config: {per_identity: 0, broken: 2}
          - id: ids
            type: clustering
            depends_on: [crops]
        """);
    PAssert.that(compiled.failures().apply(Flatten.pCollections())).satisfies(failures -> {
      List<String> keys = new ArrayList<>();
      for (Failure f : failures) {
        assertEquals("ids", f.stageId());
        assertEquals("cannot embed this crop", f.error());
        keys.add(f.itemKey());
      }
      keys.sort(null);
      assertEquals(List.of("broken/0#0#0", "broken/1#0#0"), keys);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theSummaryIsTheSameWhateverOrderTheCropsComeInAndItsCoderRoundTrips() throws Exception {
    // 600 crops of 4 identities in 12 videos; radius 0 and room for 16 micro-clusters, so the summaries
    // compact again and again and folding in another order gives another summary
    java.util.Random random = new java.util.Random(3);
    List<io.reelset.values.EmbeddedCrop> crops = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      float[] v = new float[8];
      v[i % 4] = 1;
      for (int d = 0; d < 8; d++) {
        v[d] += (float) (random.nextGaussian() * 0.05);
      }
      String video = "v" + (i % 12);
      io.reelset.values.CharacterCrop crop = new io.reelset.values.CharacterCrop(video + "@" + i, video, i, 0, 0, 0,
          1, 1, 1, 1, 0, 0, new byte[0]);
      crops.add(new io.reelset.values.EmbeddedCrop(crop, io.reelset.vision.cluster.Vectors.normalise(v)));
    }
    List<io.reelset.values.EmbeddedCrop> shuffled = new ArrayList<>(crops);
    java.util.Collections.shuffle(shuffled, new java.util.Random(5));
    assertTrue(!java.util.Arrays.equals(foldedInOrder(crops), foldedInOrder(shuffled)),
        "the test's crops give another summary when folded in another order");

    List<byte[]> summaries = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      summaries.add(summarised(crops, run, null));
    }
    for (int run = 1; run < summaries.size(); run++) {
      assertTrue(java.util.Arrays.equals(summaries.get(0), summaries.get(run)), "run " + run + " gave another summary");
    }
    io.reelset.vision.cluster.MicroClusters summary =
        org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(SummaryCoder.INSTANCE, summaries.get(0));
    assertEquals(600, summary.count());
    assertTrue(summary.clusters().size() <= 16, summary.toString());
    assertTrue(java.util.Arrays.equals(summaries.get(0),
        org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(SummaryCoder.INSTANCE, summary)), "decoded, encoded again");
    org.apache.beam.sdk.testing.CoderProperties.coderSerializable(SummaryCoder.INSTANCE);
    io.reelset.vision.cluster.ClusterModel model = io.reelset.vision.cluster.ClusterModel.build(summary,
        io.reelset.vision.cluster.ClusterSettings.defaults());
    List<String> ids = crops.stream().map(c -> model.assign(c.embedding()).identity()).toList();
    assertEquals(4, new java.util.HashSet<>(ids).size(), "4 identities, no noise");
    for (int i = 4; i < crops.size(); i++) {
      assertEquals(ids.get(i % 4), ids.get(i), "crop " + i);
    }
    // the model travels to the workers as a side input: its coder keeps every number, deterministically
    ClusterModelCoder modelCoder = new ClusterModelCoder();
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(modelCoder, model);
    org.apache.beam.sdk.testing.CoderProperties.coderDeterministic(modelCoder, model,
        org.apache.beam.sdk.util.CoderUtils.clone(modelCoder, model));
    org.apache.beam.sdk.testing.CoderProperties.coderSerializable(modelCoder);

    // scope: video clusters each video before the merge: the same there
    io.reelset.vision.cluster.ClusterSettings perVideo = io.reelset.vision.cluster.ClusterSettings.defaults();
    byte[] first = summarised(crops, 0, perVideo);
    assertTrue(java.util.Arrays.equals(first, summarised(crops, 1, perVideo)), "scope: video gave another summary");
    assertEquals(600, org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(SummaryCoder.INSTANCE, first).count());
  }

  /** The summary of the crops shuffled by {@code run}, at a parallelism of {@code run + 1}, as bytes. */
  private byte[] summarised(List<io.reelset.values.EmbeddedCrop> crops, int run,
      io.reelset.vision.cluster.ClusterSettings perVideo) throws Exception {
    List<io.reelset.values.EmbeddedCrop> order = new ArrayList<>(crops);
    java.util.Collections.shuffle(order, new java.util.Random(run));
    Path out = dir.resolve("summary-" + run + (perVideo == null ? "" : "-per-video"));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=" + (run + 1)).create());
    p.apply(org.apache.beam.sdk.transforms.Create.of(order).withCoder(io.reelset.values.EmbeddedCropCoder.of()))
        .apply(new Summarise(16, 0.0, perVideo))
        .apply(org.apache.beam.sdk.transforms.ParDo.of(new WriteSummaryFn(out.toString())));
    p.run().waitUntilFinish();
    return Files.readAllBytes(out);
  }

  /** The crops folded into one summary as they come: what the runner's order would change. */
  private static byte[] foldedInOrder(List<io.reelset.values.EmbeddedCrop> crops) throws Exception {
    io.reelset.vision.cluster.MicroClusters s = new io.reelset.vision.cluster.MicroClusters(16, 0.0);
    crops.forEach(c -> s.add(c.key(), c.embedding()));
    return org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(SummaryCoder.INSTANCE, s);
  }

  /** Writes the summary's bytes to a file the test reads back. */
  private static final class WriteSummaryFn extends org.apache.beam.sdk.transforms.DoFn<
      io.reelset.vision.cluster.MicroClusters, Void> {
    private static final long serialVersionUID = 1L;
    private final String path;

    WriteSummaryFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element io.reelset.vision.cluster.MicroClusters summary) throws Exception {
      Files.write(Path.of(path), org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(SummaryCoder.INSTANCE, summary));
    }
  }

  /** The cluster report's accumulator crosses a shuffle: its coder keeps it whole, deterministically. */
  @Test
  void theReportAccumulatorCoderKeepsEverything() throws Exception {
    ClusterReportFn fn = new ClusterReportFn(Map.of("stage", "ids"), 3);
    ClusterReportFn.Accumulator acc = fn.createAccumulator();
    for (int i = 0; i < 40; i++) {
      io.reelset.values.CharacterCrop crop = new io.reelset.values.CharacterCrop("v@" + i, "v", i * 100L, 0, 1, 2,
          3, 4, 64, 48, 0.5, 0.5, new byte[] {1});
      String identity = i % 5 == 0 ? "noise" : "identity_00" + (i % 3 + 1);
      fn.addInput(acc, new io.reelset.values.IdentityAssignment(crop, new float[] {i, -i, 0.5f},
          identity, i % 4 == 0 ? Double.NaN : i / 10.0, identity.equals("noise")
              ? io.reelset.values.IdentityAssignment.Source.NOISE : io.reelset.values.IdentityAssignment.Source.CLUSTER));
    }
    ClusterReportFn.AccumulatorCoder coder = new ClusterReportFn.AccumulatorCoder();
    org.apache.beam.sdk.testing.CoderProperties.coderSerializable(coder);
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(coder, acc);
    org.apache.beam.sdk.testing.CoderProperties.coderDecodeEncodeEqual(coder, fn.createAccumulator());
    org.apache.beam.sdk.testing.CoderProperties.coderDeterministic(coder, acc,
        org.apache.beam.sdk.util.CoderUtils.clone(coder, acc));
    assertEquals(fn.extractOutput(acc), fn.extractOutput(org.apache.beam.sdk.util.CoderUtils.clone(coder, acc)));
  }
}
