package io.reelset.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingTest {

  /** The frames a mode selects from a constant-rate video of {@code count} frames. */
  private static List<Long> selected(Sampling sampling, double fps, int count) {
    List<Long> chosen = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long us = Math.round(i * 1_000_000 / fps);
      long next = i + 1 < count ? Math.round((i + 1) * 1_000_000 / fps) : -1;
      if (sampling.select(us, next, i % 12 == 0, 0, fps)) {
        chosen.add(us / 1000);
      }
    }
    return chosen;
  }

  @Test
  void fpsPicksWhatFfmpegsFpsFilterPicks() {
    // ffmpeg -vf fps=1 on 25 fps: slot k takes the last frame before k + 0.5 s
    assertEquals(List.of(480L, 1480L, 2480L, 3480L), selected(new Sampling(Sampling.Mode.FPS, 0, 1, 0), 25, 100));
    // a frame exactly on a boundary belongs to the next slot (ffmpeg rounds half away from zero)
    assertEquals(List.of(400L, 1400L, 2400L), selected(new Sampling(Sampling.Mode.FPS, 0, 1, 0), 10, 30));
    // checked against ffmpeg 5.1: fps=0.5 on 10 fps takes frames 9 and 29
    assertEquals(List.of(900L, 2900L), selected(new Sampling(Sampling.Mode.FPS, 0, 0.5, 0), 10, 40));
    // faster than the source: every frame once
    assertEquals(10, selected(new Sampling(Sampling.Mode.FPS, 0, 30, 0), 10, 10).size());
  }

  @Test
  void everyNUsesTheIndexFromTheTimestamp() {
    assertEquals(List.of(0L, 700L, 1400L), selected(new Sampling(Sampling.Mode.EVERY_N, 7, 0, 0), 10, 20));
    assertEquals(150, Sampling.index(5_005_000, 29.97));
  }

  /**
   * For video coded as fields, the frames left undecoded are none of the selected frames and none of
   * the frames next to them, which rebuild or deinterlace them; in fps mode, checked over a range of
   * rates against what select takes.
   */
  @Test
  void framesNextToASelectedFrameAreNeverLeftUndecodedInFieldCodedVideo() {
    for (double rate : new double[] {0.5, 1, 2, 3.7, 12}) {
      Sampling sampling = new Sampling(Sampling.Mode.FPS, 0, rate, 0);
      double fps = 25;
      List<Long> chosen = selected(sampling, fps, 300);
      int undecoded = 0;
      for (int i = 0; i < 300; i++) {
        long us = Math.round(i * 1_000_000 / fps);
        long later = Math.round((i + 1) * 1_000_000 / fps);
        boolean near = false;
        for (int j = i - 1; j <= i + 1; j++) {
          near |= chosen.contains(Math.round(j * 1_000_000 / fps) / 1000);
        }
        if (sampling.surelyNotSelectedNorNext(us, later, fps)) {
          undecoded++;
          assertFalse(near, "rate " + rate + ": frame " + i + " is a selected frame or next to one");
        }
        // never more left out than without neighbours
        assertTrue(!sampling.surelyNotSelectedNorNext(us, later, fps) || sampling.surelyNotSelected(us, later, fps));
      }
      if (rate <= 3.7) {
        assertTrue(undecoded > 300 - chosen.size() * 8, "rate " + rate + ": " + undecoded + " left out");
      }
    }
    Sampling every7 = new Sampling(Sampling.Mode.EVERY_N, 7, 0, 0);
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      if (!every7.surelyNotSelectedNorNext(Math.round(i * 100_000.0), -1, 10)) {
        kept.add(i);
      }
    }
    assertEquals(List.of(0, 1, 6, 7, 8, 13, 14), kept);
    Sampling every2 = new Sampling(Sampling.Mode.EVERY_N, 2, 0, 0);
    assertFalse(every2.surelyNotSelectedNorNext(100_000, -1, 10), "every other frame: each is next to a selected one");
  }

  /**
   * A stretch up to a keyframe is left undecoded only where decoding every frame would take none
   * of its frames (keyframes in between included), nor take the frame before it differently (whose
   * next frame then is the keyframe): checked frame by frame at 23.976 and 25 fps, for keyframes
   * every frame and every 4 to 61 frames, up to each of the next eight keyframes.
   */
  @Test
  void aStretchUpToAKeyframeIsLeftOutOnlyWhenNoneOfItsFramesIsTaken() {
    int left = 0;
    int overSeveral = 0;
    for (double fps : new double[] {24000 / 1001.0, 25}) {
      for (Sampling sampling : List.of(new Sampling(Sampling.Mode.FPS, 0, 1, 0), new Sampling(Sampling.Mode.FPS, 0, 0.4, 0),
          new Sampling(Sampling.Mode.FPS, 0, 2.5, 0), new Sampling(Sampling.Mode.EVERY_N, 24, 0, 0),
          new Sampling(Sampling.Mode.KEYFRAMES, 0, 0, 0), new Sampling(Sampling.Mode.SHOTS, 0, 0, 0.3))) {
        for (int gop : new int[] {1, 4, 7, 13, 24, 61}) {
          int frames = 400;
          long[] us = new long[frames];
          for (int i = 0; i < frames; i++) {
            us[i] = Math.round(i * 1_000_000 / fps);
          }
          for (int i = 0; i < frames; i++) {
            for (int step = 1; step <= 8; step++) {
              int key = (i / gop + step) * gop; // the step-th keyframe after the frame
              if (key >= frames) {
                break;
              }
              long keyUs = us[key] / 1000 * 1000 + 999; // as the decoder bounds it: from milliseconds
              if (!sampling.noneSelectedBefore(us[i], keyUs, step > 1, fps)) {
                continue;
              }
              left++;
              overSeveral += step > 1 ? 1 : 0;
              String what = sampling + " gop " + gop + " frame " + i + " keyframe " + key;
              for (int j = i + 1; j < key; j++) { // every frame after it up to the keyframe
                assertFalse(sampling.select(us[j], us[j + 1], j % gop == 0, 0, fps), what + ": frame " + j + " is taken");
              }
              assertEquals(sampling.select(us[i], us[i + 1], i % gop == 0, 0, fps),
                  sampling.select(us[i], us[key], i % gop == 0, 0, fps), what + ": taken otherwise with the keyframe next");
            }
          }
        }
      }
    }
    assertTrue(left > 3000, left + " stretches left out");
    assertTrue(overSeveral > 1000, overSeveral + " stretches over several keyframes left out");
    assertFalse(new Sampling(Sampling.Mode.SCENE, 0, 0, 0.3).noneSelectedBefore(0, 2_000_000, false, 25));
  }

  @Test
  void keyframesAndScenesFollowTheirInputs() {
    assertEquals(List.of(0L, 1200L), selected(new Sampling(Sampling.Mode.KEYFRAMES, 0, 0, 0), 10, 20));
    Sampling scene = new Sampling(Sampling.Mode.SCENE, 0, 0, 0.3);
    assertEquals(true, scene.select(0, -1, false, 0.31, 25));
    assertEquals(false, scene.select(0, -1, false, 0.3, 25));
  }

  @Test
  void sceneScoresFollowFfmpegsFormula() {
    SceneDetector detector = new SceneDetector();
    byte[] dark = new byte[16];
    byte[] light = new byte[16];
    java.util.Arrays.fill(light, (byte) 200);
    assertEquals(1.0, detector.score(dark)); // the first frame
    assertEquals(0.0, detector.score(dark)); // mafd 0
    assertEquals(1.0, detector.score(light)); // mafd 200, diff 200: clipped to 1
    assertEquals(0.0, detector.score(light)); // mafd 0
  }

  @Test
  void segmentsStartAtKeyframes() {
    long[] keys = {0, 900, 2100, 2950, 4000};
    assertArrayEquals(new long[] {0, 2100, 4000, 5000}, Segments.boundaries(0, 5000, 2000, keys));
    assertArrayEquals(new long[] {0, 1000, 2000, 2500}, Segments.boundaries(0, 2500, 1000, new long[0]));
    assertArrayEquals(new long[] {0, 900, 5000}, Segments.boundaries(0, 5000, 800, new long[] {0, 900}));
  }

  @Test
  void dHashSeesDirectionNotBrightness() {
    byte[] up = new byte[64 * 64];
    byte[] upBrighter = new byte[64 * 64];
    byte[] down = new byte[64 * 64];
    for (int i = 0; i < up.length; i++) {
      up[i] = (byte) (i % 64);
      upBrighter[i] = (byte) (i % 64 + 100);
      down[i] = (byte) (63 - i % 64);
    }
    assertEquals(0, FrameHashes.hamming(FrameHashes.dHash(up, 64, 64), FrameHashes.dHash(upBrighter, 64, 64)));
    assertEquals(64, FrameHashes.hamming(FrameHashes.dHash(up, 64, 64), FrameHashes.dHash(down, 64, 64)));
  }
}
