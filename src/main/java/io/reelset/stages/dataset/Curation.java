package io.reelset.stages.dataset;

import io.reelset.vision.cluster.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Which crops of an identity go into the dataset, and how often they repeat. */
final class Curation {
  private Curation() {}

  /** A crop of an identity: its key and embedding. */
  record Candidate(String key, float[] embedding) {}

  /**
   * At most {@code max} of the candidates, as different from each other as possible: the one
   * nearest the identity's centre first (its most typical look), then again and again the one
   * farthest from all chosen so far (farthest-point sampling). Ties go to the smaller key, so the
   * choice does not depend on arrival order. All of them, sorted by key, when there are no more
   * than {@code max}.
   */
  static List<Candidate> mostDiverse(List<Candidate> candidates, int max) {
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparing(Candidate::key));
    if (sorted.size() <= max) {
      return sorted;
    }
    int dim = sorted.get(0).embedding().length;
    double[] centre = new double[dim];
    for (Candidate c : sorted) {
      for (int d = 0; d < dim; d++) {
        centre[d] += c.embedding()[d] / sorted.size();
      }
    }
    int first = 0;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < sorted.size(); i++) {
      double d = Vectors.distanceSquared(sorted.get(i).embedding(), centre);
      if (d < best) {
        best = d;
        first = i;
      }
    }
    double[] nearestChosen = new double[sorted.size()];
    java.util.Arrays.fill(nearestChosen, Double.MAX_VALUE);
    boolean[] chosen = new boolean[sorted.size()];
    List<Candidate> result = new ArrayList<>();
    int next = first;
    while (result.size() < max) {
      chosen[next] = true;
      Candidate pick = sorted.get(next);
      result.add(pick);
      int farthest = -1;
      double far = -1;
      for (int i = 0; i < sorted.size(); i++) {
        if (chosen[i]) {
          continue;
        }
        nearestChosen[i] = Math.min(nearestChosen[i], Vectors.distanceSquared(sorted.get(i).embedding(),
            pick.embedding()));
        if (nearestChosen[i] > far) {
          far = nearestChosen[i];
          farthest = i;
        }
      }
      if (farthest < 0) {
        break;
      }
      next = farthest;
    }
    result.sort(Comparator.comparing(Candidate::key));
    return result;
  }

  /**
   * Repeats for an identity of {@code images} training images: the fixed number, or with
   * {@code auto} ({@code fixed} ≤ 0) the whole number that brings images × repeats nearest to
   * {@code target}, at least 1.
   */
  static int repeats(int images, int fixed, int target) {
    if (fixed > 0) {
      return fixed;
    }
    if (images <= 0) {
      return 1;
    }
    return Math.max(1, (int) Math.round((double) target / images));
  }

  /** {@code validation} or {@code train}, from a hash of the key: the same key always lands the same. */
  static String split(String key, double validationShare) {
    if (validationShare <= 0) {
      return "train";
    }
    return hash(key) / (double) (1L << 32) < validationShare ? "validation" : "train";
  }

  /** The first 32 bits of the key's SHA-256: a stable, well-spread order of keys. */
  static long hash(String key) {
    byte[] digest = io.reelset.media.VideoKeys.sha256().digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
        | (digest[3] & 0xffL);
  }
}
