package io.reelset.vision.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Linking crops into shot-aware tracks: overlap, likeness, gaps, and one crop per frame. */
class TracksTest {
  private static final Tracks.Settings SETTINGS = new Tracks.Settings(2500, 0.5, 1.0);

  private static Tracks.Point point(String key, long pts, int x, float... embedding) {
    return new Tracks.Point(key, pts, x, 10, 100, 200, Vectors.normalise(embedding.clone()));
  }

  private static List<List<String>> keys(List<Tracks.Track> tracks) {
    List<List<String>> keys = new ArrayList<>();
    tracks.forEach(t -> keys.add(t.keys()));
    return keys;
  }

  @Test
  void twoCharactersInOneFrameStayApartAndEachFollowsItsBox() {
    // A on the left, B on the right, each moving a little from frame to frame
    List<Tracks.Point> points = List.of(
        point("a0", 0, 0, 1, 0), point("b0", 0, 300, 0, 1),
        point("a1", 1000, 10, 1, 0.1f), point("b1", 1000, 290, 0.1f, 1),
        point("a2", 2000, 20, 1, 0), point("b2", 2000, 280, 0, 1));
    assertEquals(List.of(List.of("a0", "a1", "a2"), List.of("b0", "b1", "b2")),
        keys(Tracks.link(points, SETTINGS)));
  }

  @Test
  void theClosestLinkWinsWhenTwoCropsOverlapOneTrack() {
    // both crops of frame 1 overlap the track's box; the likelier one continues it, the other starts a track
    List<Tracks.Point> points = List.of(point("a0", 0, 0, 1, 0),
        point("x1", 1000, 20, 1, 0.6f), point("a1", 1000, 30, 1, 0.1f));
    assertEquals(List.of(List.of("a0", "a1"), List.of("x1")), keys(Tracks.link(points, SETTINGS)));
  }

  @Test
  void aGapAnUnlikeCropOrAMovedBoxEndsATrack() {
    List<Tracks.Point> points = List.of(point("a0", 0, 0, 1, 0),
        point("late", 3000, 0, 1, 0), // 3 s later: past the gap
        point("unlike", 4000, 0, -1, 0.01f), // distance ~2 at the same place: a cut
        point("moved", 5000, 400, -1, 0.01f)); // alike, but its box does not overlap
    assertEquals(List.of(List.of("a0"), List.of("late"), List.of("unlike"), List.of("moved")),
        keys(Tracks.link(points, SETTINGS)));
  }

  @Test
  void theOrderPointsComeInDoesNotMatter() {
    List<Tracks.Point> points = new ArrayList<>(List.of(
        point("a0", 0, 0, 1, 0), point("b0", 0, 300, 0, 1),
        point("a1", 1000, 10, 1, 0.1f), point("b1", 1000, 290, 0.1f, 1)));
    List<List<String>> expected = keys(Tracks.link(points, SETTINGS));
    java.util.Collections.reverse(points);
    assertEquals(expected, keys(Tracks.link(points, SETTINGS)));
  }
}
