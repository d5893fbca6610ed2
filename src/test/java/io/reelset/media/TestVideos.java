package io.reelset.media;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes small videos with known frames for tests, with JavaCV's recorder (FFmpeg's MPEG-4 Part 2
 * encoder, closed GOPs): frame {@code i} is gray level {@code shade(i)}, flat or as a horizontal
 * ramp, or as a checkerboard of 4-pixel cells around it (sharp), so frame counts, timestamps, scene
 * changes and hashes are exact.
 */
public final class TestVideos {
  /** How a frame's gray level spreads over it. */
  public enum Look { FLAT, RAMP_UP, RAMP_DOWN, CHECKER }

  public static final int WIDTH = 64;
  public static final int HEIGHT = 48;

  private TestVideos() {}

  /** Writes {@code frames} flat frames at {@code fps} with a keyframe every {@code gop} frames. */
  public static Path write(Path file, int fps, int frames, int gop, IntUnaryOperator shade) throws Exception {
    return write(file, fps, frames, gop, shade, i -> Look.FLAT);
  }

  public static Path write(Path file, int fps, int frames, int gop, IntUnaryOperator shade,
      java.util.function.IntFunction<Look> look) throws Exception {
    return write(file, fps, frames, gop, 0, shade, look);
  }

  /**
   * The same with up to {@code bFrames} B-frames between references: frames stored out of order
   * that no other frame refers to.
   */
  public static Path write(Path file, int fps, int frames, int gop, int bFrames, IntUnaryOperator shade,
      java.util.function.IntFunction<Look> look) throws Exception {
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0)) {
      boolean programStream = file.toString().endsWith(".mpg"); // MPEG-2 in a program stream, as on DVDs
      recorder.setVideoCodec(programStream ? avcodec.AV_CODEC_ID_MPEG2VIDEO : avcodec.AV_CODEC_ID_MPEG4);
      recorder.setFormat(programStream ? "mpeg" : file.toString().endsWith(".avi") ? "avi" : "matroska");
      recorder.setFrameRate(fps);
      recorder.setGopSize(gop);
      recorder.setVideoQuality(2);
      recorder.setVideoOption("sc_threshold", "1000000000"); // keyframes only where the GOP says
      if (bFrames > 0) {
        recorder.setVideoOption("bf", Integer.toString(bFrames));
      }
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      recorder.start();
      Frame frame = new Frame(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 3);
      for (int i = 0; i < frames; i++) {
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        int base = shade.applyAsInt(i);
        Look how = look.apply(i);
        for (int y = 0; y < HEIGHT; y++) {
          for (int x = 0; x < WIDTH; x++) {
            int value = switch (how) {
              case FLAT -> base;
              case RAMP_UP -> base + x * 2;
              case RAMP_DOWN -> base + (WIDTH - 1 - x) * 2;
              case CHECKER -> base + (((x / 4 + y / 4) % 2 == 0) ? 20 : -20); // sharp edges, same mean

            };
            byte v = (byte) Math.max(0, Math.min(255, value));
            for (int c = 0; c < 3; c++) {
              pixels.put(y * stride + x * 3 + c, v);
            }
          }
        }
        recorder.record(frame);
      }
      recorder.stop();
    }
    return file;
  }

  /**
   * Copies a video's packets into Matroska or MP4 unchanged, except that the packets at {@code indices}
   * (0-based, in file order) are flagged as keyframes: a muxer's wrong flag, or what a stream coded
   * with intra refresh looks like (recovery points flagged as keyframes, from which decoding does not
   * start clean).
   */
  public static Path flagAsKeyframes(Path source, Path file, java.util.Set<Integer> indices) throws Exception {
    try (org.bytedeco.javacv.FFmpegFrameGrabber grabber = new org.bytedeco.javacv.FFmpegFrameGrabber(source.toFile())) {
      grabber.start();
      try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), grabber.getImageWidth(),
          grabber.getImageHeight(), 0)) {
        recorder.setFormat(file.toString().endsWith(".mp4") ? "mp4" : "matroska");
        recorder.start(grabber.getFormatContext());
        org.bytedeco.ffmpeg.avcodec.AVPacket packet;
        int index = 0;
        while ((packet = grabber.grabPacket()) != null) {
          if (indices.contains(index++)) {
            packet.flags(packet.flags() | avcodec.AV_PKT_FLAG_KEY);
          }
          recorder.recordPacket(packet);
        }
        recorder.stop();
      }
      grabber.stop();
    }
    return file;
  }

  /**
   * What {@code sampling} takes of a video when every frame is decoded (no frame left out): their
   * timestamps in microseconds.
   */
  public static List<Long> takenDecodingAll(Path file, Sampling sampling, double fps) throws Exception {
    List<Long> all = new ArrayList<>();
    List<Boolean> keys = new ArrayList<>();
    try (FFmpegVideo video = FFmpegVideo.open(file.toString(), 1)) {
      while (video.next()) {
        all.add(video.frameUs());
        keys.add(video.frameIsKey());
      }
    }
    List<Long> taken = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (sampling.select(all.get(i), i + 1 < all.size() ? all.get(i + 1) : -1, keys.get(i), 0, fps)) {
        taken.add(all.get(i));
      }
    }
    return taken;
  }

  /**
   * Writes 2 s at 10 fps of a {@code width}×{@code height} picture whose pixels are
   * {@code aspectNum:aspectDen} as wide as high (MPEG-4 Part 2, which carries the shape in its
   * headers; Matroska declares it too): black, with a white rectangle in the middle that is a
   * square of 40 pixels when shown in square pixels.
   */
  public static Path writeAnamorphic(Path file, int width, int height, int aspectNum, int aspectDen) throws Exception {
    String container = file.toString().endsWith(".avi") ? "avi" : "matroska";
    try (FFmpegFrameRecorder recorder = recorder(file, width, height, avcodec.AV_CODEC_ID_MPEG4, container, 10, 2)) {
      recorder.setGopSize(10);
      recorder.setAspectRatio((double) aspectNum / aspectDen);
      recorder.start();
      // 40 shown pixels: fewer stored ones across when pixels are wide, fewer down when they are narrow
      int across = (int) Math.round(40.0 * Math.min(1, (double) aspectDen / aspectNum));
      int down = (int) Math.round(40.0 * Math.min(1, (double) aspectNum / aspectDen));
      Frame frame = whiteOnBlack(width, height,
          (x, y) -> Math.abs(x - width / 2.0 + 0.5) < across / 2.0 && Math.abs(y - height / 2.0 + 0.5) < down / 2.0);
      for (int i = 0; i < 20; i++) {
        recorder.record(frame);
      }
      recorder.stop();
    }
    return file;
  }

  /**
   * Writes 1 s at 10 fps of interlaced MPEG-2 (coded as fields, marked interlaced) in an MPEG
   * program stream, 64×48: black, with a white bar 8 pixels wide that the two fields show in
   * different places — at x 8–15 in the top field (even rows), at x 40–47 in the bottom field (odd
   * rows) — as a bar moving fast between the two moments the fields were taken.
   */
  public static Path writeInterlaced(Path file) throws Exception {
    return writeInterlaced(file, (x, y) -> y % 2 == 0 ? x >= 8 && x < 16 : x >= 40 && x < 48);
  }

  /** The same with the picture {@code white} says, coded as fields and marked interlaced. */
  public static Path writeInterlaced(Path file, java.util.function.BiPredicate<Integer, Integer> white)
      throws Exception {
    return writeFieldCoded(file, i -> white);
  }

  /**
   * Writes 1 s at 10 fps of video interlaced through and through, as a TV camera takes it: each field
   * its own moment, 20 a second. A white bar 8 pixels wide, on every row, moves 6 pixels right
   * from one field to the next and back to the left every sixth field (field k — the top field of
   * frame k / 2 when k is even, the bottom field of frame (k - 1) / 2 when odd — shows it at
   * x = 2 + 6 (k mod 6)); a white square that never moves fills x 44–59, rows 13–36 (its top edge on
   * a bottom-field row).
   */
  public static Path writeInterlacedMoving(Path file) throws Exception {
    return writeFieldCoded(file, i -> (x, y) -> {
      int left = 2 + 6 * ((2 * i + y % 2) % 6);
      return x >= left && x < left + 8 || x >= 44 && x < 60 && y >= 13 && y < 37;
    });
  }

  /**
   * Writes 1 s at 10 fps of film telecined as TV does it (3:2 pulldown), coded as
   * fields and marked interlaced: four pictures make five frames, the third and fourth woven from two
   * pictures each ({@code P0 P0 | P1 P1 | P1 P2 | P2 P3 | P3 P3}, top field | bottom field), twice.
   * Picture k is black with a white square, 12 pixels wide, at x = 4 + 14 k, on rows 13 to 36 (its top
   * edge on a bottom-field row).
   */
  public static Path writeTelecined(Path file) throws Exception {
    int[][] fields = {{0, 0}, {1, 1}, {1, 2}, {2, 3}, {3, 3}};
    return writeFieldCoded(file, i -> (x, y) -> {
      int left = 4 + 14 * fields[i % 5][y % 2];
      return x >= left && x < left + 12 && y >= 13 && y < 37;
    });
  }

  /**
   * Writes 10 frames at 10 fps of MPEG-2 coded as fields, marked interlaced, in an MPEG program
   * stream: frame i white where {@code white.apply(i)} says, black elsewhere. The decoder reads them
   * back as bottom field first, whatever the {@code top} option asks (tests that need the order read
   * it from the decoded frame).
   */
  private static Path writeFieldCoded(Path file,
      java.util.function.IntFunction<java.util.function.BiPredicate<Integer, Integer>> white) throws Exception {
    try (FFmpegFrameRecorder recorder = recorder(file, WIDTH, HEIGHT, avcodec.AV_CODEC_ID_MPEG2VIDEO, "mpeg", 10, 1)) {
      recorder.setGopSize(5);
      recorder.setVideoOption("flags", "+ilme+ildct");
      recorder.setVideoOption("top", "1");
      recorder.start();
      for (int i = 0; i < 10; i++) {
        recorder.record(whiteOnBlack(WIDTH, HEIGHT, white.apply(i)));
      }
      recorder.stop();
    }
    return file;
  }

  /** The green level of a pixel: the gray of the white-on-black pictures these videos hold. */
  public static int gray(java.awt.image.BufferedImage image, int x, int y) {
    return (image.getRGB(x, y) >> 8) & 0xff;
  }

  /**
   * Writes 1 s at 10 fps of one flat colour, {@code width}×{@code height}, given as limited-range
   * Y, Cb, Cr (written as they are, no conversion), in Matroska, declaring the colour matrix
   * {@code colorspace} (FFmpeg's name: "bt709", "smpte170m") unless it is null.
   */
  public static Path writeYuv(Path file, int width, int height, int[] ycbcr, String colorspace) throws Exception {
    try (FFmpegFrameRecorder recorder = recorder(file, width, height, avcodec.AV_CODEC_ID_MPEG4, "matroska", 10, 1)) {
      if (colorspace != null) {
        recorder.setVideoOption("colorspace", colorspace);
      }
      recorder.start();
      ByteBuffer planes = ByteBuffer.allocateDirect(width * height * 3 / 2);
      for (int i = 0; i < width * height; i++) {
        planes.put(i, (byte) ycbcr[0]);
      }
      for (int i = 0; i < width * height / 4; i++) {
        planes.put(width * height + i, (byte) ycbcr[1]);
        planes.put(width * height * 5 / 4 + i, (byte) ycbcr[2]);
      }
      for (int i = 0; i < 10; i++) {
        recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, avutil.AV_PIX_FMT_YUV420P, planes);
      }
      recorder.stop();
    }
    return file;
  }

  /**
   * Writes 10 frames (MPEG-4 in Matroska) of horizontal bands of grey, one per value of {@code lumas}
   * (8-bit Y, top to bottom; neutral chroma), with the encoder options {@code options} (such as
   * {@code color_trc}, {@code color_primaries}, {@code colorspace}: the colours the stream declares).
   */
  public static Path writeGreyBands(Path file, int width, int height, int[] lumas, java.util.Map<String, String> options)
      throws Exception {
    try (FFmpegFrameRecorder recorder = recorder(file, width, height, avcodec.AV_CODEC_ID_MPEG4, "matroska", 10, 1)) {
      options.forEach(recorder::setVideoOption);
      recorder.start();
      ByteBuffer planes = ByteBuffer.allocateDirect(width * height * 3 / 2);
      for (int i = 0; i < width * height; i++) {
        planes.put(i, (byte) lumas[(i / width) * lumas.length / height]);
      }
      for (int i = 0; i < width * height / 2; i++) {
        planes.put(width * height + i, (byte) 128);
      }
      for (int i = 0; i < 10; i++) {
        recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, avutil.AV_PIX_FMT_YUV420P, planes);
      }
      recorder.stop();
    }
    return file;
  }

  /**
   * Writes 1 s at 10 fps, 64×48 as stored, with a display matrix that turns it {@code degrees}
   * counterclockwise (as a phone stores a portrait video sideways), in MP4: black, with a white
   * block in the stored picture's top left corner (x 0–15, y 0–11).
   */
  public static Path writeTurned(Path file, double degrees) throws Exception {
    try (FFmpegFrameRecorder recorder = recorder(file, WIDTH, HEIGHT, avcodec.AV_CODEC_ID_MPEG4, "mp4", 10, 1)) {
      recorder.setDisplayRotation(degrees);
      recorder.start();
      Frame frame = whiteOnBlack(WIDTH, HEIGHT, (x, y) -> x < 16 && y < 12);
      for (int i = 0; i < 10; i++) {
        recorder.record(frame);
      }
      recorder.stop();
    }
    return file;
  }

  /**
   * Writes a Matroska video of variable frame rate: 10 frames 100 ms apart, then 20 frames 33 ms
   * apart (as a web rip's 10 fps scene and 30 fps credits); black.
   */
  public static Path writeVariableRate(Path file) throws Exception {
    try (FFmpegFrameRecorder recorder = recorder(file, WIDTH, HEIGHT, avcodec.AV_CODEC_ID_MPEG4, "matroska", 30, 2)) {
      recorder.start();
      Frame black = whiteOnBlack(WIDTH, HEIGHT, (x, y) -> false);
      for (int i = 0; i < 30; i++) {
        recorder.setTimestamp(i < 10 ? i * 100_000L : 1_000_000L + (i - 10) * 100_000L / 3);
        recorder.record(black);
      }
      recorder.stop();
    }
    return file;
  }

  /** A recorder of {@code codec} in {@code format} at {@code fps}, quality {@code quality}, YUV 4:2:0; not started. */
  private static FFmpegFrameRecorder recorder(Path file, int width, int height, int codec, String format, int fps,
      int quality) {
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
    recorder.setVideoCodec(codec);
    recorder.setFormat(format);
    recorder.setFrameRate(fps);
    recorder.setVideoQuality(quality);
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    return recorder;
  }

  /** A {@code width}×{@code height} picture, white where {@code white} says, else black. */
  private static Frame whiteOnBlack(int width, int height, java.util.function.BiPredicate<Integer, Integer> white) {
    Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
    ByteBuffer pixels = (ByteBuffer) frame.image[0];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        byte value = (byte) (white.test(x, y) ? 255 : 0);
        for (int c = 0; c < 3; c++) {
          pixels.put(y * frame.imageStride + x * 3 + c, value);
        }
      }
    }
    return frame;
  }

  /** Writes a Matroska file with one second of silence and no video stream. */
  public static Path writeAudioOnly(Path file) throws Exception {
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 1)) {
      recorder.setFormat("matroska");
      recorder.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
      recorder.setSampleRate(8000);
      recorder.start();
      recorder.recordSamples(8000, 1, ShortBuffer.allocate(8000));
      recorder.stop();
    }
    return file;
  }
}
