package io.reelset.stages.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShotChoiceTest {
  record C(long ptsMs, boolean cut, double sharpness) implements ShotChoice.Candidate {}

  /** Candidates every 500 ms from {@code fromMs} to before {@code toMs}, the first a cut, all as sharp. */
  private static List<C> shot(long fromMs, long toMs) {
    List<C> out = new ArrayList<>();
    for (long t = fromMs; t < toMs; t += 500) {
      out.add(new C(t, t == fromMs, 1));
    }
    return out;
  }

  private static List<Long> times(List<C> chosen) {
    return chosen.stream().map(C::ptsMs).toList();
  }

  @Test
  void perShotFramesAreSpreadEvenlyOverEachShot() {
    List<C> video = new ArrayList<>(shot(0, 6000));
    video.addAll(shot(6000, 8000));
    ShotChoice two = new ShotChoice(2, 1000, 60_000, 1, 500);
    ShotChoice.Chosen<C> chosen = two.choose(video);
    // 0-6 s: targets 1.5 and 4.5 s; 6-8 s (the last candidate plus one interval): 6.5 and 7.5 s
    assertEquals(List.of(1500L, 4500L, 6500L, 7500L), times(chosen.frames()));
    assertEquals(2, chosen.shots());
  }

  @Test
  void theSharpestOfTheNearestCandidatesWinsAndNoFrameIsTakenTwice() {
    List<C> video = new ArrayList<>(shot(0, 3000));
    // the shot runs to 3 s (its last candidate plus one interval): its middle is 1.5 s
    video.set(1, new C(500, false, 9)); // sharp, 1 s from the middle
    video.set(4, new C(2000, false, 5)); // less sharp, 0.5 s from it
    assertEquals(List.of(1500L), times(new ShotChoice(1, 1000, 60_000, 1, 500).choose(video).frames()));
    assertEquals(List.of(2000L), times(new ShotChoice(1, 1000, 60_000, 3, 500).choose(video).frames()));
    assertEquals(List.of(500L), times(new ShotChoice(1, 1000, 60_000, 5, 500).choose(video).frames()));
    // more frames wanted than the shot has candidates: each once
    assertEquals(List.of(0L, 500L, 1000L, 1500L, 2000L, 2500L),
        times(new ShotChoice(9, 1000, 60_000, 3, 500).choose(video).frames()));
  }

  @Test
  void shortShotsGiveNothingAndLongTakesGiveAFramePerPiece() {
    List<C> video = new ArrayList<>(shot(0, 500)); // a flash: 0.5 s
    video.addAll(shot(500, 30_500)); // a 30 s take
    ShotChoice.Chosen<C> chosen = new ShotChoice(1, 1000, 10_000, 1, 500).choose(video);
    assertEquals(1, chosen.tooShort());
    assertEquals(1, chosen.shots());
    // the take (0.5 to 30.5 s) in three pieces of 10 s: targets 5.5, 15.5, 25.5 s
    assertEquals(List.of(5500L, 15500L, 25500L), times(chosen.frames()));
  }

  @Test
  void aVideoOfOnlyShortShotsStillGivesItsLongestOne() {
    List<C> video = new ArrayList<>(shot(0, 500));
    video.addAll(shot(500, 1500)); // the longest: 1 s
    video.addAll(shot(1500, 2000));
    ShotChoice.Chosen<C> chosen = new ShotChoice(1, 2000, 10_000, 1, 500).choose(video);
    assertEquals(List.of(1000L), times(chosen.frames())); // its middle
    assertEquals(1, chosen.shots());
    assertEquals(2, chosen.tooShort());
    assertEquals(0, new ShotChoice(1, 2000, 10_000, 1, 500).choose(List.<C>of()).frames().size());
  }

  @Test
  void theChoiceDoesNotDependOnTheOrderCandidatesArriveIn() {
    List<C> video = new ArrayList<>(shot(0, 4000));
    video.addAll(shot(4000, 9000));
    List<C> reversed = new ArrayList<>(video);
    java.util.Collections.reverse(reversed);
    ShotChoice choice = new ShotChoice(2, 1000, 60_000, 3, 500);
    assertEquals(times(choice.choose(video).frames()), times(choice.choose(reversed).frames()));
  }
}
