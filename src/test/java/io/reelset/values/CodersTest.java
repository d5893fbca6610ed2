package io.reelset.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.values.VideoInfo;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * Every value coder, with Beam's {@link CoderProperties}: values survive encode and decode
 * (every record component, not only what {@code equals} compares), equal values encode to equal
 * bytes (the bytes are also the completion records on disk and the keys of shuffles), decoding
 * and encoding again gives the same bytes, and the coder itself serializes.
 */
class CodersTest {
  private static final String ODD = "é 日本 \uD83D\uDE00 \n\t\u0000 \"quote\" ../x";

  private static CharacterCrop crop(String key, int instance) {
    return new CharacterCrop(key, "video-" + ODD, 1234567L, instance, 1, 2, 30, 40, 1280, 720, 0.125, 0.875,
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, -1});
  }

  private static <T> void check(Coder<T> coder, List<T> values) throws Exception {
    check(coder, values, true);
  }

  /** With {@code byEquals} false, for records whose {@code equals} compares arrays by identity. */
  private static <T> void check(Coder<T> coder, List<T> values, boolean byEquals) throws Exception {
    CoderProperties.coderSerializable(coder);
    coder.verifyDeterministic();
    for (T value : values) {
      if (byEquals) {
        CoderProperties.coderDecodeEncodeEqual(coder, value);
        CoderProperties.coderDeterministic(coder, value, CoderUtils.clone(coder, value));
      }
      byte[] bytes = CoderUtils.encodeToByteArray(coder, value);
      T decoded = CoderUtils.decodeFromByteArray(coder, bytes);
      assertSameComponents(value, decoded);
      assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, decoded), "decoded values encode alike: " + value);
    }
  }

  /** Every component of two records alike, arrays and nested records included. */
  private static void assertSameComponents(Object expected, Object actual) throws Exception {
    if (expected == null || !expected.getClass().isRecord()) {
      assertTrue(Objects.deepEquals(expected, actual), expected + " became " + actual);
      return;
    }
    for (RecordComponent component : expected.getClass().getRecordComponents()) {
      Object a = component.getAccessor().invoke(expected);
      Object b = component.getAccessor().invoke(actual);
      if (a != null && a.getClass().isRecord()) {
        assertSameComponents(a, b);
      } else {
        assertTrue(Objects.deepEquals(a, b), component.getName() + ": " + a + " became " + b);
      }
    }
  }

  @Test
  void failures() throws Exception {
    check(FailureCoder.of(), List.of(new Failure("frames", "v@1.000-2.000s", "damaged " + ODD, ""),
        new Failure("s", "", "", "java.io.IOException: x\n\tat y")));
  }

  @Test
  void videoFilesAndProbedVideos() throws Exception {
    VideoFile file = new VideoFile("a_b.mkv-0123456789ab", "/data/" + ODD + ".mkv", ODD + ".mkv", 1L << 40,
        "0123456789abcdef");
    check(VideoFileCoder.of(), List.of(file));
    check(ProbedVideoCoder.of(), List.of(
        new ProbedVideo(file, new VideoInfo(1_440_000, 23.976, "24000/1001", 34526, "h264", 1280, 720,
            new long[] {0, 5005, 10010})),
        new ProbedVideo(file, new VideoInfo(0, 0, "0/0", 0, "", 1, 1, new long[0]))));
  }

  @Test
  void framesAndCrops() throws Exception {
    check(FrameCoder.of(), List.of(new Frame("v-" + ODD, 42, 1750, 1920, 1080, "jpg", new byte[] {1, 2, 3}, -1L),
        new Frame("v", 0, 0, 1, 1, "png", new byte[0], 0)));
    check(CharacterCropCoder.of(), List.of(crop("v@000001750", 0), crop("", 7),
        crop("t", 1).withTags(List.of(new Tag("blue hair", Tag.GENERAL, 0.875f), new Tag(ODD, Tag.CHARACTER, 1f),
            new Tag("", Tag.RATING, Float.MIN_VALUE)))));
    check(EmbeddedCropCoder.of(), List.of(new EmbeddedCrop(crop("k", 1), new float[] {0f, -1.5f, Float.NaN,
        Float.MIN_VALUE}), new EmbeddedCrop(crop("k", 2), new float[0])));
  }

  @Test
  void assignmentsAndDatasetRecords() throws Exception {
    List<IdentityAssignment> assignments = new java.util.ArrayList<>();
    for (IdentityAssignment.Source source : IdentityAssignment.Source.values()) {
      assignments.add(new IdentityAssignment(crop("k", 3), new float[] {0.25f, 1e-9f}, "identity_001", 0.5,
          source));
    }
    check(IdentityAssignmentCoder.of(), assignments);
    check(DatasetRecordCoder.of(), List.of(new DatasetRecord("identity_001", "Alice " + ODD, "alc", "img/3_alc"
        + " character/Alice_0001.png", "alc, " + ODD, "train", 512, 768, 3, "k#0", "v", 1750, "v#t3")));
  }

  /** Records of every component type RecordCoder writes, nulls and empty arrays included. */
  record Every(String text, int small, long big, double real, boolean flag, byte[] bytes, float[] floats) {}

  @Test
  void recordsOfPlainComponents() throws Exception {
    check(RecordCoder.of(Every.class), List.of(
        new Every(ODD, -7, Long.MIN_VALUE, -0.0, true, new byte[] {1, -1}, new float[] {1.5f, Float.NaN}),
        new Every(null, 0, 0, Double.NaN, false, new byte[0], new float[0])), false);
    String refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RecordCoder.of(ProbedVideo.class)).getMessage();
    assertEquals("io.reelset.values.ProbedVideo.file: a io.reelset.values.VideoFile is not written by RecordCoder;"
        + " allowed: String, int, long, double, boolean, byte[], float[]", refused);
  }

  @Test
  void equalValuesEncodeToEqualBytesWhateverTheirHistory() throws Exception {
    Frame a = new Frame("v", 1, 100, 2, 2, "jpg", new byte[] {9, 8}, 5);
    Frame b = new Frame(new String("v"), 1, 100, 2, 2, new String("jpg"), new byte[] {9, 8}, 5);
    assertEquals(a, b);
    CoderProperties.coderDeterministic(FrameCoder.of(), a, b);
  }
}
