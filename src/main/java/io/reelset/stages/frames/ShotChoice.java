package io.reelset.stages.frames;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which candidates of one video {@code shots} sampling keeps: the video is cut into shots where a
 * candidate starts one (scene score above the threshold); a shot shorter than {@code minShotMs}
 * (a flash, a transition) gives nothing, unless every shot of the video is that short, when its
 * longest one counts; a longer one is taken as pieces of at most
 * {@code maxShotMs}, and each piece gives {@code perShot} frames at evenly spread positions, each
 * the sharpest of the {@code sharpestOf} candidates nearest its position.
 *
 * @param candidateMs the time between candidates, which is also how long the last shot lasts
 *     after its last candidate
 */
record ShotChoice(int perShot, long minShotMs, long maxShotMs, int sharpestOf, long candidateMs)
    implements Serializable {

  /** A candidate: where it is, whether it starts a shot, how sharp it is. */
  interface Candidate {
    long ptsMs();

    boolean cut();

    double sharpness();
  }

  /** What the choice found in a video. */
  record Chosen<T>(List<T> frames, int shots, int tooShort) {}

  /** Chooses among {@code candidates} (any order); the chosen ones in time order. */
  <T extends Candidate> Chosen<T> choose(List<T> candidates) {
    List<T> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingLong(Candidate::ptsMs));
    List<T> chosen = new ArrayList<>();
    int shots = 0;
    int tooShort = 0;
    int start = 0;
    int[] longest = null; // {start, end} of the longest shot, for a video whose shots are all short
    long longestMs = -1;
    while (start < sorted.size()) {
      int end = start + 1;
      while (end < sorted.size() && !sorted.get(end).cut()) {
        end++;
      }
      long fromMs = sorted.get(start).ptsMs();
      long toMs = shotEnd(sorted, end);
      if (toMs - fromMs > longestMs) {
        longestMs = toMs - fromMs;
        longest = new int[] {start, end};
      }
      if (toMs - fromMs < minShotMs) {
        tooShort++;
      } else {
        shots++;
        chosen.addAll(inShot(sorted.subList(start, end), fromMs, toMs));
      }
      start = end;
    }
    if (shots == 0 && longest != null) {
      // every shot is short (a strobe, a video of flashes): its longest one still gives its frames
      // rather than the video none
      tooShort--;
      shots++;
      chosen.addAll(inShot(sorted.subList(longest[0], longest[1]), sorted.get(longest[0]).ptsMs(),
          shotEnd(sorted, longest[1])));
    }
    chosen.sort(Comparator.comparingLong(Candidate::ptsMs));
    return new Chosen<>(chosen, shots, tooShort);
  }

  /** Where the shot that ends before candidate {@code end} ends: the next shot's start, or after the last candidate. */
  private long shotEnd(List<? extends Candidate> sorted, int end) {
    return end < sorted.size() ? sorted.get(end).ptsMs() : sorted.get(end - 1).ptsMs() + candidateMs;
  }

  private <T extends Candidate> List<T> inShot(List<T> shot, long fromMs, long toMs) {
    long length = toMs - fromMs;
    int pieces = (int) Math.max(1, (length + maxShotMs - 1) / maxShotMs);
    int wanted = Math.min(shot.size(), pieces * perShot);
    Set<T> taken = new HashSet<>();
    List<T> out = new ArrayList<>();
    for (int i = 0; i < wanted; i++) {
      double target = fromMs + (i + 0.5) * length / wanted;
      List<T> near = new ArrayList<>(shot);
      near.removeAll(taken);
      near.sort(Comparator.comparingDouble((T c) -> Math.abs(c.ptsMs() - target)).thenComparingLong(Candidate::ptsMs));
      T best = null;
      for (T c : near.subList(0, Math.min(sharpestOf, near.size()))) {
        if (best == null || c.sharpness() > best.sharpness()) {
          best = c;
        }
      }
      taken.add(best);
      out.add(best);
    }
    return out;
  }
}
