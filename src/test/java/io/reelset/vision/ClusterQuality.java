package io.reelset.vision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adjusted Rand index and purity of a clustering against true labels. */
public final class ClusterQuality {
  private ClusterQuality() {}

  /** Hubert and Arabie's adjusted Rand index; every predicted label (noise too) is one cluster. */
  public static double adjustedRandIndex(List<String> truth, List<String> predicted) {
    Map<String, Map<String, Long>> table = new HashMap<>();
    Map<String, Long> rows = new HashMap<>();
    Map<String, Long> cols = new HashMap<>();
    for (int i = 0; i < truth.size(); i++) {
      table.computeIfAbsent(truth.get(i), k -> new HashMap<>()).merge(predicted.get(i), 1L, Long::sum);
      rows.merge(truth.get(i), 1L, Long::sum);
      cols.merge(predicted.get(i), 1L, Long::sum);
    }
    double index = 0;
    for (Map<String, Long> row : table.values()) {
      for (long n : row.values()) {
        index += pairs(n);
      }
    }
    double a = rows.values().stream().mapToDouble(ClusterQuality::pairs).sum();
    double b = cols.values().stream().mapToDouble(ClusterQuality::pairs).sum();
    double expected = a * b / pairs(truth.size());
    double max = (a + b) / 2;
    return max == expected ? 1 : (index - expected) / (max - expected);
  }

  /** The share of items whose predicted cluster's most common true label is their own. */
  public static double purity(List<String> truth, List<String> predicted) {
    Map<String, Map<String, Long>> byCluster = new HashMap<>();
    for (int i = 0; i < truth.size(); i++) {
      byCluster.computeIfAbsent(predicted.get(i), k -> new HashMap<>()).merge(truth.get(i), 1L, Long::sum);
    }
    long majority = 0;
    for (Map<String, Long> counts : byCluster.values()) {
      majority += counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
    return (double) majority / truth.size();
  }

  private static double pairs(long n) {
    return n * (n - 1) / 2.0;
  }
}
