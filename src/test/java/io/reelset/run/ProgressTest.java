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
    assertEquals("characters: 4/~50 (8%), 3 out", start.get(1).text(),
        "frames are still coming: 10 frames out of a fifth of the video make about 50");
    assertEquals("report: 0 out", start.get(2).text(), "a stage that does not count its work");

    // 10 s later: 40% more of the video, at 4% a second: 10 s left
    List<Progress.Line> later = progress.lines(counters(60_000, 100_000, 30, 20, 18, 1), 10_000);
    assertEquals("frames: 60%, 30 out, ETA 10s", later.get(0).text());
    assertEquals(10.0, later.get(0).secondsLeft(), 1e-9);
    assertEquals("characters: 20/~50 (40%), 18 out, 1 failed, ETA 19s", later.get(1).text(),
        "30 frames out of 60% of the video make about 50; 16 done in 10 s: 30 left take 18.75 s");
    assertEquals(18.75, later.get(1).secondsLeft(), 1e-9);

    // the video is decoded: the frames out are the next stage's whole
    List<Progress.Line> done = progress.lines(counters(100_000, 100_000, 40, 30, 27, 1), 20_000);
    assertEquals("frames: 100%, 40 out", done.get(0).text());
    assertEquals("characters: 30/40 (75%), 27 out, 1 failed, ETA 8s", done.get(1).text(),
        "26 frames in the 20 s since it was first seen: 10 left take 7.7 s");
    // which stages may still have work whose time cannot be told: the run's ETA is then a lower bound
    assertEquals(List.of(true, true, true), start.stream().map(Progress.Line::open).toList());
    assertEquals(List.of(false, false, true), later.stream().map(Progress.Line::open).toList());
    assertEquals(List.of(false, false, true), done.stream().map(Progress.Line::open).toList());
  }

  @Test
  void aLaterStageEstimatesItsWholeFromItsUpstreamShare() {
    Progress progress = new Progress(List.of(stage("frames"), stage("characters", "frames"),
        stage("identities", "characters")));
    Map<String, Map<String, Long>> c = new LinkedHashMap<>();
    c.put("frames", Map.of(StageMetrics.PROGRESS_DONE, 0L, StageMetrics.PROGRESS_TOTAL, 100_000L,
        StageMetrics.OUTPUT, 0L));
    c.put("characters", Map.of(StageMetrics.PROGRESS_DONE, 0L, StageMetrics.OUTPUT, 0L));
    assertEquals("characters: 0/0 so far, 0 out", progress.lines(c, 0).get(1).text(), "nothing to scale yet");

    // the segmenter keeps up with the frames: what it has done is all that arrived, no estimate
    c.put("frames", Map.of(StageMetrics.PROGRESS_DONE, 50_000L, StageMetrics.PROGRESS_TOTAL, 100_000L,
        StageMetrics.OUTPUT, 10L));
    c.put("characters", Map.of(StageMetrics.PROGRESS_DONE, 10L, StageMetrics.OUTPUT, 15L));
    c.put("identities", Map.of(StageMetrics.PROGRESS_DONE, 15L, StageMetrics.OUTPUT, 15L));
    List<Progress.Line> lines = progress.lines(c, 1_000);
    assertEquals("characters: 10/~20 (50%), 15 out", lines.get(1).text());
    assertEquals("identities: 15/~30 (50%), 15 out", lines.get(2).text(),
        "15 crops from half of the frames that will come: about 30 in all");

    // the frames stage ahead of the segmenter: its rate since first seen tells the time left
    c.put("frames", Map.of(StageMetrics.PROGRESS_DONE, 90_000L, StageMetrics.PROGRESS_TOTAL, 100_000L,
        StageMetrics.OUTPUT, 27L));
    c.put("characters", Map.of(StageMetrics.PROGRESS_DONE, 12L, StageMetrics.OUTPUT, 18L));
    assertEquals("characters: 12/~30 (40%), 18 out, ETA 1m30s", progress.lines(c, 11_000).get(1).text(),
        "27 frames out of 90% of the video make 30; 2 done in the 10 s since first seen: 18 left take 90 s");
  }

  @Test
  void durationsReadAsAPersonWritesThem() {
    assertEquals("45s", Progress.duration(45.2));
    assertEquals("3m05s", Progress.duration(185));
    assertEquals("2h10m", Progress.duration(7800));
  }
}
