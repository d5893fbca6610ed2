package io.reelset.stages.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.spec.SpecProblem;
import io.reelset.spec.StageConfig;
import io.reelset.spec.YamlReader;
import io.reelset.spec.YamlValue;
import io.reelset.vision.SegmentationModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a segmentation config becomes a model description. */
class SegmentationConfigTest {
  private static StageConfig config(String yaml) throws Exception {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, Object> values = new SegmentationProvider().configSchema().validate(
        (YamlValue.Mapping) YamlReader.parse(yaml, "c.yaml"), "characters", "config", null, problems);
    assertEquals(List.of(), problems);
    return new StageConfig(values);
  }

  @Test
  void presetsAndOverrides() throws Exception {
    SegmentationModel isnet = config("model: m.onnx\n").as(SegmentationConfig.class).segmentationModel();
    assertEquals("input", isnet.inputName());
    assertTrue(isnet.letterbox());
    SegmentationModel anime = config("model: a.onnx\npreset: anime_isnet\n").as(SegmentationConfig.class).segmentationModel();
    assertEquals("img", anime.inputName());
    assertEquals("mask", anime.outputName());
    SegmentationModel custom = config(
        "model: c.onnx\ninput_name: pixels\noutput_name: alpha\ninput_size: 512\n"
            + "mean: [123.675, 116.28, 103.53]\nstd: [58.395, 57.12, 57.375]\nresize: stretch\n")
        .as(SegmentationConfig.class).segmentationModel();
    assertEquals(List.of("pixels", "alpha", 512, 512, false),
        List.of(custom.inputName(), custom.outputName(), custom.width(), custom.height(), custom.letterbox()));
    assertArrayEquals(new float[] {123.675f, 116.28f, 103.53f}, custom.mean());
  }

  @Test
  void badCombinationsAreProblemsOfTheFileWithTheirMarks() throws Exception {
    assertEquals(List.of("c.yaml:2:7: stage 'characters': config.mean: give 3 numbers (R, G, B), got 2"),
        problems("model: m.onnx\nmean: [1, 2]\n"));
    assertEquals(List.of("c.yaml:2:6: stage 'characters': config.std: must not be 0",
        "c.yaml:3:13: stage 'characters': config.background: 'white' is not a colour; write #RRGGBB, or leave it"
            + " empty for RGBA crops"), problems("model: m.onnx\nstd: [1, 0, 1]\nbackground: white\n"));
  }

  private static List<String> problems(String yaml) throws Exception {
    List<SpecProblem> problems = new ArrayList<>();
    new SegmentationProvider().configSchema().validate((YamlValue.Mapping) YamlReader.parse(yaml, "c.yaml"),
        "characters", "config", null, problems);
    problems.sort(SpecProblem.BY_POSITION);
    return problems.stream().map(SpecProblem::render).toList();
  }
}
