package io.reelset.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.reelset.kit.StageMetrics;
import io.reelset.spec.StageConfig;
import io.reelset.spec.StageSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static StageSpec stage(String id, String... dependsOn) {
    return new StageSpec(id, "t", List.of(dependsOn), new StageConfig(Map.of()), null, null, null, null, Map.of());
  }

  private static Map<String, Map<String, Long>> counters(long framesDone, long framesTotal, long framesOut,
      long segmented, long crops, long failed) {
    Map<String, Map<String, Long>> c = new LinkedHashMap<>();
    c.put("frames", Map.of(StageMetrics.PROGRESS_DONE, framesDone, StageMetrics.PROGRESS_TOTAL, framesTotal,
        StageMetrics.OUTPUT, framesOut));
    c.put("characters", Map.of(StageMetrics.PROGRESS_DONE, segmented, StageMetrics.OUTPUT, crops,
        StageMetrics.FAILURES, failed));
    c.put("report", Map.of(StageMetrics.OUTPUT, 0L));
    return c;
  }

  @Test
  void aStageHasAShareOnceItsWholeIsKnownAndAnEtaOnceItsRateIs() {
    Progress progress = new Progress(List.of(stage("frames"), stage("characters", "frames"),
        stage("report", "characters")));
    List<Progress.Line> start = progress.lines(counters(20_000, 100_000, 10, 4, 3, 0), 0);
    assertEquals("frames: 20%, 10 out", start.get(0).text(), "no rate yet: no ETA");
    assertEquals("characters: 4/10 so far, 3 out", start.get(1).text(), "frames are still coming");
    assertEquals("report: 0 out", start.get(2).text(), "a stage that does not count its work");

    // 10 s later: 40% more of the video, at 4% a second: 10 s left
    List<Progress.Line> later = progress.lines(counters(60_000, 100_000, 30, 20, 18, 1), 10_000);
    assertEquals("frames: 60%, 30 out, ETA 10s", later.get(0).text());
    assertEquals(10.0, later.get(0).secondsLeft(), 1e-9);
    assertEquals("characters: 20/30 so far, 18 out, 1 failed", later.get(1).text());
    assertNull(later.get(1).secondsLeft());

    // the video is decoded: the frames out are the next stage's whole
    List<Progress.Line> done = progress.lines(counters(100_000, 100_000, 40, 30, 27, 1), 20_000);
    assertEquals("frames: 100%, 40 out", done.get(0).text());
    assertEquals("characters: 30/40 (75%), 27 out, 1 failed, ETA 8s", done.get(1).text(),
        "26 frames in the 20 s since it was first seen: 10 left take 7.7 s");
    // which stages may still have work whose time cannot be told: the run's ETA is then a lower bound
    assertEquals(List.of(true, true, true), start.stream().map(Progress.Line::open).toList());
    assertEquals(List.of(false, true, true), later.stream().map(Progress.Line::open).toList());
    assertEquals(List.of(false, false, true), done.stream().map(Progress.Line::open).toList());
  }

  @Test
  void durationsReadAsAPersonWritesThem() {
    assertEquals("45s", Progress.duration(45.2));
    assertEquals("3m05s", Progress.duration(185));
    assertEquals("2h10m", Progress.duration(7800));
  }
}
