package io.reelset.stages.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Curation arithmetic: repeats, farthest-point selection, the split. */
class CurationTest {

  @Test
  void autoRepeatsEvenOutImagesTimesRepeats() {
    assertEquals(20, Curation.repeats(10, 0, 200));
    assertEquals(2, Curation.repeats(100, 0, 200));
    assertEquals(1, Curation.repeats(500, 0, 200), "never below 1");
    assertEquals(3, Curation.repeats(70, 0, 200), "200/70 = 2.86 rounds to 3");
    assertEquals(7, Curation.repeats(70, 7, 200), "a fixed number wins");
    assertEquals(1, Curation.repeats(0, 0, 200));
  }

  @Test
  void farthestPointSamplingSpreadsTheChoice() {
    List<Curation.Candidate> points = new ArrayList<>();
    // 20 near-identical crops at x = 0, and one each at x = 5 and x = 10
    for (int i = 0; i < 20; i++) {
      points.add(new Curation.Candidate(String.format("a%02d", i), new float[] {i * 0.001f, 0}));
    }
    points.add(new Curation.Candidate("far", new float[] {10, 0}));
    points.add(new Curation.Candidate("mid", new float[] {5, 0}));
    List<String> chosen = Curation.mostDiverse(points, 3).stream().map(Curation.Candidate::key).toList();
    assertEquals(3, chosen.size());
    assertEquals(List.of("far", "mid"), chosen.stream().filter(k -> !k.startsWith("a")).toList(),
        "the outliers are chosen, not the first three");
  }

  @Test
  void theSplitDependsOnlyOnTheKey() {
    int validation = 0;
    for (int i = 0; i < 1000; i++) {
      String split = Curation.split("crop" + i, 0.2);
      assertEquals(split, Curation.split("crop" + i, 0.2));
      validation += split.equals("validation") ? 1 : 0;
    }
    assertEquals(200, validation, 40);
    assertEquals("train", Curation.split("x", 0));
  }
}
