package io.reelset.vision.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Shot-aware tracks: the crops of one video linked across consecutive sampled frames when their
 * boxes overlap and their embeddings are alike, as a character stays in place within a shot.
 *
 * <p>Frames are taken in time order. A crop may extend a track whose last crop is at most
 * {@code maxGapMs} earlier, whose box overlaps its own by at least {@code minOverlap}
 * (intersection over union) and whose last embedding lies within {@code maxDistance}; the closest
 * pairs are linked first, and a track takes at most one crop per frame, so two characters of one
 * frame never share a track. A cut changes what is in the box, so likeness ends a track there.
 */
public final class Tracks {
  private Tracks() {}

  /** When two crops are linked. */
  public record Settings(long maxGapMs, double minOverlap, double maxDistance) implements Serializable {}

  /** A crop as the linking sees it: where and when it is, and its embedding. */
  public record Point(String key, long ptsMs, int x, int y, int width, int height, float[] embedding)
      implements Serializable {}

  /** A track: its number within the video (in order of its first crop) and its crops' keys. */
  public record Track(int number, List<String> keys) {}

  /** Links one video's crops into tracks; every crop is in exactly one. */
  public static List<Track> link(List<Point> points, Settings settings) {
    List<Point> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingLong(Point::ptsMs).thenComparing(Point::key));
    List<Open> open = new ArrayList<>();
    List<Open> all = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      long pts = sorted.get(i).ptsMs();
      int end = i;
      while (end < sorted.size() && sorted.get(end).ptsMs() == pts) {
        end++;
      }
      List<Point> frame = sorted.subList(i, end);
      open.removeIf(t -> pts - t.last.ptsMs() > settings.maxGapMs());
      // candidate links, closest first; each track and each crop linked once
      List<double[]> pairs = new ArrayList<>();
      for (int t = 0; t < open.size(); t++) {
        Point last = open.get(t).last;
        for (int c = 0; c < frame.size(); c++) {
          Point p = frame.get(c);
          if (overlap(last, p) < settings.minOverlap()) {
            continue;
          }
          double d = Math.sqrt(Vectors.distanceSquared(last.embedding(), p.embedding()));
          if (d <= settings.maxDistance()) {
            pairs.add(new double[] {d, t, c});
          }
        }
      }
      pairs.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1])
          .thenComparingDouble(a -> a[2]));
      boolean[] trackTaken = new boolean[open.size()];
      Open[] linked = new Open[frame.size()];
      for (double[] pair : pairs) {
        int t = (int) pair[1];
        int c = (int) pair[2];
        if (!trackTaken[t] && linked[c] == null) {
          trackTaken[t] = true;
          linked[c] = open.get(t);
        }
      }
      for (int c = 0; c < frame.size(); c++) {
        Open track = linked[c];
        if (track == null) {
          track = new Open(all.size());
          all.add(track);
          open.add(track);
        }
        track.add(frame.get(c));
      }
      i = end;
    }
    List<Track> tracks = new ArrayList<>(all.size());
    for (Open t : all) {
      tracks.add(new Track(t.number, List.copyOf(t.keys)));
    }
    return tracks;
  }

  static double overlap(Point a, Point b) {
    return overlap(a.x(), a.y(), a.width(), a.height(), b.x(), b.y(), b.width(), b.height());
  }

  /** Intersection over union of two boxes, each {@code x, y, width, height}. */
  public static double overlap(int ax, int ay, int aw, int ah, int bx, int by, int bw, int bh) {
    double w = Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
    double h = Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
    double inter = w * h;
    double union = (double) aw * ah + (double) bw * bh - inter;
    return union <= 0 ? 0 : inter / union;
  }

  private static final class Open {
    final int number;
    final List<String> keys = new ArrayList<>();
    Point last;

    Open(int number) {
      this.number = number;
    }

    void add(Point p) {
      keys.add(p.key());
      last = p;
    }
  }
}
