package io.reelset.stages.clustering;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.media.VideoKeys;
import io.reelset.values.EmbeddedCropCoder;
import io.reelset.values.IdentityAssignment;
import io.reelset.vision.cluster.Vectors;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Builds {@code clusters.json} from the assignments in one bounded pass: per identity its size,
 * the crops nearest its centre, the mean distance of its crops from the centre and the nearest
 * other identity; overall the silhouette, computed exactly on a deterministic sample of up to
 * {@value #SAMPLE} crops (those with the smallest key hashes) so that memory stays bounded.
 */
final class ClusterReportFn extends Combine.CombineFn<IdentityAssignment, ClusterReportFn.Accumulator, String> {
  private static final long serialVersionUID = 1L;
  static final int SAMPLE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> header;
  private final int exemplars;

  /** What is known per identity so far. */
  static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;
    String source;
    long count;
    double distanceSum;
    long distanceCount;
    double[] sum;
    TreeSet<Exemplar> nearest = new TreeSet<>();
    String firstKey;

    @Override
    public boolean equals(Object other) {
      return other instanceof Stats s && java.util.Objects.equals(s.source, source) && s.count == count
          && s.distanceSum == distanceSum && s.distanceCount == distanceCount && java.util.Arrays.equals(s.sum, sum)
          && s.nearest.equals(nearest) && java.util.Objects.equals(s.firstKey, firstKey);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(source, count, firstKey);
    }
  }

  /** A crop and its distance from its identity's centre; ordered nearest first, then by key. */
  record Exemplar(double distance, String key) implements Comparable<Exemplar>, Serializable {
    @Override
    public int compareTo(Exemplar other) {
      int c = Double.compare(distance, other.distance);
      return c != 0 ? c : key.compareTo(other.key);
    }
  }

  /** One sampled crop. */
  record Sampled(String key, String identity, float[] embedding) implements Serializable {
    @Override
    public boolean equals(Object other) {
      return other instanceof Sampled s && s.key.equals(key) && s.identity.equals(identity)
          && java.util.Arrays.equals(s.embedding, embedding);
    }

    @Override
    public int hashCode() {
      return key.hashCode();
    }
  }

  static final class Accumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    final Map<String, Stats> identities = new TreeMap<>();
    final TreeMap<String, Sampled> sample = new TreeMap<>();
    long crops;
    long noise;

    @Override
    public boolean equals(Object other) {
      return other instanceof Accumulator a && a.crops == crops && a.noise == noise && a.identities.equals(identities)
          && a.sample.equals(sample);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(crops) * 31 + Long.hashCode(noise);
    }
  }

  /**
   * @param header fields written first (stage, embedder, method, ...)
   * @param exemplars how many crop keys to list per identity
   */
  ClusterReportFn(Map<String, Object> header, int exemplars) {
    this.header = new LinkedHashMap<>(header);
    this.exemplars = exemplars;
  }

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator();
  }

  @Override
  public Accumulator addInput(Accumulator acc, IdentityAssignment a) {
    acc.crops++;
    if (a.isNoise()) {
      acc.noise++;
      return acc;
    }
    Stats stats = acc.identities.computeIfAbsent(a.identity(), k -> new Stats());
    stats.source = a.source().name().toLowerCase(java.util.Locale.ROOT);
    stats.count++;
    if (!Double.isNaN(a.distance())) {
      stats.distanceSum += a.distance();
      stats.distanceCount++;
      stats.nearest.add(new Exemplar(a.distance(), a.key()));
      trim(stats.nearest, exemplars);
    }
    if (stats.sum == null) {
      stats.sum = new double[a.embedding().length];
    }
    if (stats.sum.length == a.embedding().length) {
      for (int i = 0; i < stats.sum.length; i++) {
        stats.sum[i] += a.embedding()[i];
      }
    }
    stats.firstKey = stats.firstKey == null || a.key().compareTo(stats.firstKey) < 0 ? a.key() : stats.firstKey;
    acc.sample.put(hash(a.key()), new Sampled(a.key(), a.identity(), a.embedding()));
    while (acc.sample.size() > SAMPLE) {
      acc.sample.pollLastEntry();
    }
    return acc;
  }

  private static void trim(TreeSet<?> set, int size) {
    while (set.size() > size) {
      set.pollLast();
    }
  }

  /** A hex SHA-256 prefix of the key (plus the key, so that equal prefixes stay apart). */
  private static String hash(String key) {
    byte[] digest = VideoKeys.sha256().digest(key.getBytes(StandardCharsets.UTF_8));
    return String.format("%016x", ByteBuffer.wrap(digest).getLong()) + key;
  }

  @Override
  public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators) {
    Accumulator merged = new Accumulator();
    for (Accumulator acc : accumulators) {
      merged.crops += acc.crops;
      merged.noise += acc.noise;
      for (Map.Entry<String, Stats> entry : acc.identities.entrySet()) {
        Stats from = entry.getValue();
        Stats into = merged.identities.get(entry.getKey());
        if (into == null) {
          into = new Stats();
          into.source = from.source;
          into.sum = from.sum == null ? null : from.sum.clone();
          merged.identities.put(entry.getKey(), into);
        } else if (from.sum != null && into.sum != null && from.sum.length == into.sum.length) {
          for (int i = 0; i < into.sum.length; i++) {
            into.sum[i] += from.sum[i];
          }
        }
        into.count += from.count;
        into.distanceSum += from.distanceSum;
        into.distanceCount += from.distanceCount;
        into.nearest.addAll(from.nearest);
        trim(into.nearest, exemplars);
        if (into.firstKey == null || (from.firstKey != null && from.firstKey.compareTo(into.firstKey) < 0)) {
          into.firstKey = from.firstKey;
        }
      }
      merged.sample.putAll(acc.sample);
      while (merged.sample.size() > SAMPLE) {
        merged.sample.pollLastEntry();
      }
    }
    return merged;
  }

  @Override
  public String extractOutput(Accumulator acc) {
    Map<String, Object> report = new LinkedHashMap<>(header);
    report.put("crops", acc.crops);
    report.put("identities", acc.identities.size());
    report.put("noise", acc.noise);
    if (acc.crops == 0) {
      report.put("message", "no crops reached this stage, so there is nothing to cluster: the model is empty");
    }
    List<String> order = new ArrayList<>(acc.identities.keySet());
    order.sort(Comparator.<String>comparingLong(id -> -acc.identities.get(id).count)
        .thenComparing(id -> acc.identities.get(id).firstKey));
    Map<String, double[]> centres = new HashMap<>();
    for (String id : order) {
      Stats s = acc.identities.get(id);
      double[] centre = new double[s.sum.length];
      for (int i = 0; i < centre.length; i++) {
        centre[i] = s.sum[i] / s.count;
      }
      centres.put(id, centre);
    }
    Double silhouette = silhouette(acc.sample);
    report.put("silhouette", silhouette);
    report.put("silhouette_sample", (long) acc.sample.size());
    List<Map<String, Object>> clusters = new ArrayList<>();
    for (String id : order) {
      Stats s = acc.identities.get(id);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", id);
      entry.put("source", s.source);
      entry.put("size", s.count);
      entry.put("exemplars", s.nearest.stream().map(Exemplar::key).toList());
      entry.put("mean_distance", s.distanceCount == 0 ? null : round(s.distanceSum / s.distanceCount));
      String nearest = null;
      double best = Double.MAX_VALUE;
      for (String other : order) {
        if (!other.equals(id) && centres.get(other).length == centres.get(id).length) {
          double d = Math.sqrt(Vectors.distanceSquared(centres.get(id), centres.get(other)));
          if (d < best) {
            best = d;
            nearest = other;
          }
        }
      }
      entry.put("nearest", nearest == null ? null : Map.of("id", nearest, "distance", round(best)));
      clusters.add(entry);
    }
    report.put("clusters", clusters);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the cluster report", e);
    }
  }

  /**
   * The mean silhouette of the sampled crops that belong to an identity: for each, a = its mean
   * distance to the others of its identity, b = the smallest mean distance to another identity,
   * s = (b − a) / max(a, b), and 0 for a crop alone in its identity. Null with fewer than two
   * identities in the sample.
   */
  static Double silhouette(Map<String, Sampled> sample) {
    List<Sampled> points = new ArrayList<>(sample.values());
    Map<String, Integer> sizes = new HashMap<>();
    for (Sampled p : points) {
      sizes.merge(p.identity(), 1, Integer::sum);
    }
    if (sizes.size() < 2) {
      return null;
    }
    double total = 0;
    for (Sampled p : points) {
      Map<String, Double> sums = new HashMap<>();
      for (Sampled q : points) {
        if (q != p && q.embedding().length == p.embedding().length) {
          sums.merge(q.identity(), Math.sqrt(Vectors.distanceSquared(p.embedding(), q.embedding())), Double::sum);
        }
      }
      int own = sizes.get(p.identity());
      if (own < 2) {
        continue;
      }
      double a = sums.getOrDefault(p.identity(), 0.0) / (own - 1);
      double b = Double.MAX_VALUE;
      for (Map.Entry<String, Integer> other : sizes.entrySet()) {
        if (!other.getKey().equals(p.identity())) {
          b = Math.min(b, sums.getOrDefault(other.getKey(), 0.0) / other.getValue());
        }
      }
      double max = Math.max(a, b);
      total += max == 0 ? 0 : (b - a) / max;
    }
    return round(total / points.size());
  }

  private static double round(double value) {
    return Math.round(value * 10000) / 10000.0;
  }

  @Override
  public Coder<Accumulator> getAccumulatorCoder(CoderRegistry registry, Coder<IdentityAssignment> input) {
    return new AccumulatorCoder();
  }

  /** The accumulator field by field, maps in key order: equal accumulators give equal bytes. */
  static final class AccumulatorCoder extends org.apache.beam.sdk.coders.AtomicCoder<Accumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(Accumulator acc, java.io.OutputStream stream) throws java.io.IOException {
      java.io.DataOutputStream out = new java.io.DataOutputStream(stream);
      out.writeLong(acc.crops);
      out.writeLong(acc.noise);
      out.writeInt(acc.identities.size());
      for (Map.Entry<String, Stats> e : acc.identities.entrySet()) {
        Stats s = e.getValue();
        out.writeUTF(e.getKey());
        writeNullable(out, s.source);
        out.writeLong(s.count);
        out.writeDouble(s.distanceSum);
        out.writeLong(s.distanceCount);
        writeDoubles(out, s.sum);
        out.writeInt(s.nearest.size());
        for (Exemplar x : s.nearest) {
          out.writeDouble(x.distance());
          out.writeUTF(x.key());
        }
        writeNullable(out, s.firstKey);
      }
      out.writeInt(acc.sample.size());
      for (Map.Entry<String, Sampled> e : acc.sample.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue().key());
        out.writeUTF(e.getValue().identity());
        EmbeddedCropCoder.writeFloats(e.getValue().embedding(), out);
      }
      out.flush();
    }

    @Override
    public Accumulator decode(java.io.InputStream stream) throws java.io.IOException {
      java.io.DataInputStream in = new java.io.DataInputStream(stream);
      Accumulator acc = new Accumulator();
      acc.crops = in.readLong();
      acc.noise = in.readLong();
      for (int n = in.readInt(); n > 0; n--) {
        String id = in.readUTF();
        Stats s = new Stats();
        s.source = readNullable(in);
        s.count = in.readLong();
        s.distanceSum = in.readDouble();
        s.distanceCount = in.readLong();
        s.sum = readDoubles(in);
        for (int m = in.readInt(); m > 0; m--) {
          s.nearest.add(new Exemplar(in.readDouble(), in.readUTF()));
        }
        s.firstKey = readNullable(in);
        acc.identities.put(id, s);
      }
      for (int n = in.readInt(); n > 0; n--) {
        String hash = in.readUTF();
        String key = in.readUTF();
        String identity = in.readUTF();
        acc.sample.put(hash, new Sampled(key, identity, EmbeddedCropCoder.readFloats(in)));
      }
      return acc;
    }

    /** Its length ({@code -1} for null), then the values in one write. */
    private static void writeDoubles(java.io.DataOutputStream out, double[] values) throws java.io.IOException {
      out.writeInt(values == null ? -1 : values.length);
      if (values != null) {
        EmbeddedCropCoder.writeDoubles(values, out);
      }
    }

    private static double[] readDoubles(java.io.DataInputStream in) throws java.io.IOException {
      int length = in.readInt();
      return length < 0 ? null : EmbeddedCropCoder.readDoubles(in, length);
    }

    private static void writeNullable(java.io.DataOutputStream out, String text) throws java.io.IOException {
      out.writeBoolean(text != null);
      if (text != null) {
        out.writeUTF(text);
      }
    }

    private static String readNullable(java.io.DataInputStream in) throws java.io.IOException {
      return in.readBoolean() ? in.readUTF() : null;
    }

    @Override
    public void verifyDeterministic() {
      // sorted maps and sets, arrays in order
    }
  }

  @Override
  public Coder<String> getDefaultOutputCoder(CoderRegistry registry, Coder<IdentityAssignment> input) {
    return StringUtf8Coder.of();
  }
}
