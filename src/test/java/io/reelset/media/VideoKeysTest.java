package io.reelset.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoKeysTest {
  private static final byte[] HEAD = "0123456789".getBytes(StandardCharsets.US_ASCII);

  @Test
  void keyIsTheSafeRelativePathAndAFingerprint() {
    String key = VideoKeys.key("season 1/ep01.mkv", 1000, HEAD, HEAD.length);
    assertTrue(key.matches("season_1__ep01\\.mkv-[0-9a-f]{12}"), key);
    assertEquals(key, VideoKeys.key("season 1/ep01.mkv", 1000, HEAD, HEAD.length));
    assertNotEquals(key, VideoKeys.key("season 1/ep01.mkv", 1001, HEAD, HEAD.length), "size is part of the key");
    assertNotEquals(key, VideoKeys.key("season 1/ep01.mkv", 1000, HEAD, 9), "the head is part of the key");
    assertNotEquals(key, VideoKeys.key("season_1/ep01.mkv", 1000, HEAD, HEAD.length),
        "names that clean alike get two keys");
    String deep = "x".repeat(200);
    assertNotEquals(VideoKeys.key("a/" + deep + ".mkv", 1, HEAD, 1), VideoKeys.key("b/" + deep + ".mkv", 1, HEAD, 1),
        "paths whose last 100 characters agree get two keys");
  }

  @Test
  void keysNeverEscapeADirectory() {
    String key = VideoKeys.key("../../etc/pass\u0000wd", 1, HEAD, 1);
    assertTrue(key.startsWith("up__up__etc__pass_wd-"), key);
    assertFalse(key.contains("/"));
  }

  @Test
  void fingerprintIsSha256OfSizeAndHead() {
    // sha256("10\n0123456789")
    assertEquals("0a8328c47369bc789b47bac0735817940d9fea02e0f52fc486a6d8b1b3a0e5de",
        VideoKeys.fingerprint(10, HEAD, HEAD.length));
    assertEquals(VideoKeys.fingerprint(10, HEAD, HEAD.length),
        VideoKeys.fingerprint(10, "0123456789xyz".getBytes(StandardCharsets.US_ASCII), 10));
  }

  @Test
  void globRootIsTheDirectoryBeforeTheFirstWildcard() {
    assertTrue(VideoKeys.isGlob("media/*.mkv"));
    assertFalse(VideoKeys.isGlob("media/ep1.mkv"));
    assertEquals("/data/anime/", VideoKeys.globRoot("/data/anime/s*/ep?.mkv"));
    assertEquals("", VideoKeys.globRoot("*.mkv"));
    assertEquals("s1/ep1.mkv", VideoKeys.relativize("/data/anime/", "/data/anime/s1/ep1.mkv"));
    assertEquals("ep1.mkv", VideoKeys.relativize("/elsewhere/", "/data/anime/s1/ep1.mkv"));
  }

  @Test
  void listFilesSkipCommentsAndResolveRelativeEntries() {
    String text = "# season 1\nep1.mkv\n\n  /abs/ep2.mkv  \r\ngs://bucket/ep3.mkv\n";
    assertEquals(List.of("/lists/ep1.mkv", "/abs/ep2.mkv", "gs://bucket/ep3.mkv"),
        VideoKeys.parseList(text, "/lists/"));
    assertTrue(VideoKeys.isListFile("/x/videos.TXT"));
    assertTrue(VideoKeys.hasExtension("/x/EP1.MKV", List.of("mkv")));
    assertFalse(VideoKeys.hasExtension("/x/mkv", List.of("mkv")));
  }
}
