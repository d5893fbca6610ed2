package io.reelset.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_FCC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE240M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_BE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_PAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_BT2020;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_FCC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_SMPTE240M;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_side_data;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_count_planes;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_linesize;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_plane;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy_props;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_BITSTREAM;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_HWACCEL;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Turns decoded frames into what the pipeline keeps, with FFmpeg's own scaler, filters and encoders
 * (no detour through {@code BufferedImage}): a small gray thumbnail for analysis, and the encoded
 * image (JPEG through the MJPEG encoder, as {@code ffmpeg -q:v N} does, or PNG).
 *
 * <p>Keeps its scaler and encoder between frames and rebuilds them when the frame size changes.
 * Not thread-safe; close it.
 */
public final class FrameConverter implements AutoCloseable {
  /** The output image formats. */
  public enum Format { JPG, PNG }

  private final Format format;
  private final int jpegQuality;
  /** The width of {@link #detail} images. */
  public static final int DETAIL_WIDTH = 320;

  private final Gray thumb = new Gray();
  private final Gray detail = new Gray();
  private SwsContext encodeScaler;
  private final Rows encodeRows = new Rows();
  /** A telecined frame rebuilt from the fields of one picture (see {@link #encode}). */
  private final AVFrame woven = av_frame_alloc();
  /** Video interlaced through and through, deinterlaced with the frames next to it (see {@link #encode}). */
  private final Deinterlacer deinterlacer = new Deinterlacer();
  private final ToneMapper toneMapper = new ToneMapper();
  /**
   * FFmpeg's colorspace filter from BT.709, limited or full range, to JPEG's colours; the same
   * primaries and transfer in and out (a player does not convert them): YUV to YUV only.
   */
  private static final List<FilterChain.Filter> LIMITED_TO_JPEG = toJpeg("tv");
  private static final List<FilterChain.Filter> FULL_TO_JPEG = toJpeg("pc");
  /** FFmpeg's colorspace filter, kept from frame to frame: see {@link #jpegColours}. */
  private final FilterChain colours = new FilterChain();
  /** What the last {@link #encode} did with HDR. */
  private Hdr lastHdr = Hdr.NONE;
  private AVCodecContext encoder;
  private AVFrame converted;
  /** The scaler's output when the frame is then turned into {@link #converted}. */
  private AVFrame unturned;
  private int encodeTurns;
  private final AVPacket packet;
  private int encodeWidth = -1;
  private int encodeHeight = -1;

  /**
   * @param jpegQuality FFmpeg's JPEG quality scale, 2 (best) to 31, as {@code ffmpeg -q:v}
   */
  public FrameConverter(Format format, int jpegQuality) {
    if (jpegQuality < 2 || jpegQuality > 31) {
      throw new IllegalArgumentException("jpegQuality " + jpegQuality + " is out of range 2 to 31");
    }
    this.format = format;
    this.jpegQuality = jpegQuality;
    this.packet = av_packet_alloc();
  }

  /**
   * A {@code width}×{@code height} 8-bit gray image of the frame, area-averaged, row by row. Read
   * whole even when the frame is combed: averaged down to a thumbnail, combs vanish, and looking for
   * them on every decoded frame (the scene score wants one of each) cost 1.3 ms a 1080i frame
   * beside 2.5 ms of decoding.
   */
  public byte[] thumbnail(AVFrame frame, int width, int height) throws VideoException {
    return thumb.pixels(frame, width, height, false);
  }

  /**
   * A gray image of the frame {@link #DETAIL_WIDTH} pixels wide at its own aspect ratio, for
   * measures that need more detail than a thumbnail holds (sharpness).
   */
  public byte[] detail(AVFrame frame) throws VideoException {
    int[] size = squarePixels(frame); // not turned: a measure, not a picture
    int height = Math.max(1, (int) Math.round((double) DETAIL_WIDTH * size[1] / Math.max(1, size[0])));
    return detail.pixels(frame, DETAIL_WIDTH, height, readsOneField(frame));
  }

  /**
   * The frame's size as it is shown: {@link #squarePixels} of its stored size and its pixel shape
   * ({@link FFmpegVideo} gives a frame the container's when the container declares one).
   */
  public static int[] displaySize(AVFrame frame) {
    return turned(squarePixels(frame), quarterTurns(frame));
  }

  /** {@code size} turned {@code turns} quarter turns: width and height swapped for an odd number. */
  static int[] turned(int[] size, int turns) {
    return turns % 2 == 1 ? new int[] {size[1], size[0]} : size;
  }

  /** {@link #squarePixels(int, int, int, int)} of the frame's stored size and pixel shape. */
  private static int[] squarePixels(AVFrame frame) {
    return squarePixels(frame.width(), frame.height(), frame.sample_aspect_ratio().num(),
        frame.sample_aspect_ratio().den());
  }

  /**
   * How many quarter turns clockwise the frame is shown turned: what its display matrix says (a
   * phone's portrait video is stored sideways, with a matrix that turns it upright; FFmpeg's
   * decoders give each frame the stream's), 0 without one. Matrices that are not quarter turns,
   * and mirrorings, are left alone.
   */
  static int quarterTurns(AVFrame frame) {
    AVFrameSideData side = av_frame_get_side_data(frame, AV_FRAME_DATA_DISPLAYMATRIX);
    return side == null ? 0 : quarterTurns(side.data(), side.size());
  }

  /**
   * {@link #quarterTurns(AVFrame)} of a display matrix (nine 32-bit numbers) of {@code size} bytes
   * at {@code matrix}; 0 for none or a short one.
   */
  static int quarterTurns(BytePointer matrix, long size) {
    if (matrix == null || size < 36) {
      return 0;
    }
    double angle = av_display_rotation_get(new IntPointer(matrix)); // counterclockwise, in degrees
    if (Double.isNaN(angle)) {
      return 0;
    }
    double clockwise = ((-angle % 360) + 360) % 360;
    long turns = Math.round(clockwise / 90);
    return Math.abs(clockwise - turns * 90) < 1 ? (int) (turns % 4) : 0;
  }

  /**
   * The size of a {@code width}×{@code height} picture of pixels {@code aspectNum:aspectDen} as wide
   * as high, in square pixels — as players show it and as a trainer must see it: a Japanese TV
   * capture's 1440×1080 of 4:3 pixels is 1920×1080, a 16:9 NTSC DVD's 720×480 of 32:27 pixels
   * 853×480. Only ever enlarged (wide pixels widen the picture, narrow ones heighten it), so no
   * detail is lost. Square, unknown (0) and implausible shapes (beyond 4:1 either way, a broken
   * header) leave the size as it is.
   */
  public static int[] squarePixels(int width, int height, int aspectNum, int aspectDen) {
    if (aspectNum <= 0 || aspectDen <= 0 || aspectNum == aspectDen
        || aspectNum > 4L * aspectDen || aspectDen > 4L * aspectNum) {
      return new int[] {width, height};
    }
    if (aspectNum > aspectDen) {
      return new int[] {(int) Math.round((double) width * aspectNum / aspectDen), height};
    }
    return new int[] {width, (int) Math.round((double) height * aspectDen / aspectNum)};
  }

  /** {@code AV_FRAME_FLAG_INTERLACED} from libavutil/frame.h. */
  private static final int FLAG_INTERLACED = 1 << 3;
  /** {@code AV_FRAME_FLAG_TOP_FIELD_FIRST} from libavutil/frame.h. */
  private static final int FLAG_TOP_FIELD_FIRST = 1 << 4;

  /**
   * The rows of a frame that are read: all of them, or for a combed interlaced frame its top field
   * only — every other row, which the scaler stretches back to the frame's height. The two fields
   * of an interlaced frame (TV captures, DVDs of video) are taken a field apart in time, and woven
   * into one picture they comb every edge that moves; one field is a whole picture of one moment,
   * with half the rows. A frame the decoder marks progressive, or an interlaced one whose fields
   * agree (nothing moved; a telecined film frame whose two fields come from one picture), is read
   * whole.
   */
  private static final class Rows implements AutoCloseable {
    private final IntPointer doubled = new IntPointer(8);
    private int height;
    private IntPointer strides;

    /** Sets {@link #height} and {@link #strides} for {@code frame}, one field or whole. */
    Rows of(AVFrame frame, boolean oneField) {
      if (oneField) {
        for (int i = 0; i < 8; i++) {
          doubled.put(i, frame.linesize(i) * 2); // the next row of the same field: two rows down
        }
        height = frame.height() / 2;
        strides = doubled;
      } else {
        height = frame.height();
        strides = frame.linesize();
      }
      return this;
    }

    @Override
    public void close() {
      doubled.close();
    }
  }

  /** Whether {@code frame} is read one field only (see {@link Rows}): marked interlaced, and combed. */
  static boolean readsOneField(AVFrame frame) {
    return interlaced(frame) && frame.height() >= 4 && combed(frame);
  }

  /** Whether the decoder says the top field of {@code frame} was taken first. */
  static boolean topFieldFirst(AVFrame frame) {
    return (frame.flags() & FLAG_TOP_FIELD_FIRST) != 0;
  }

  /** Whether two frames have the same size and pixel format, so that their fields combine. */
  static boolean samePictures(AVFrame a, AVFrame b) {
    return a.width() == b.width() && a.height() == b.height() && a.format() == b.format();
  }

  /** Whether the decoder marks {@code frame} interlaced: coded as two fields. */
  static boolean interlaced(AVFrame frame) {
    return (frame.flags() & FLAG_INTERLACED) != 0;
  }

  /** A combed pixel differs from both rows next to it, the same way, by more than this (8-bit levels). */
  private static final int COMB_THRESHOLD = 9;
  /** A frame is combed when one block of 16 × 16 pixels has more combed pixels than this. */
  private static final int COMB_PIXELS = 80;

  /**
   * Whether a frame's luma shows combing, as FFmpeg's {@code fieldmatch} looks for it: a pixel is
   * combed when it is brighter (or darker) than both rows next to it by more than
   * {@link #COMB_THRESHOLD} and the rows' pattern is the other field's, not a thin line
   * ({@code |up2 + 4 cur + down2 - 3 (up + down)| > 6 threshold}); a frame, when a 16 × 16 block
   * holds more than {@link #COMB_PIXELS} of them. Pixel formats whose luma it cannot read plainly
   * (packed, more than 16 bits) count as combed: read one field, as before.
   */
  static boolean combed(AVFrame frame) {
    AVPixFmtDescriptor descriptor = av_pix_fmt_desc_get(frame.format());
    if (descriptor == null || descriptor.comp(0).plane() != 0 || descriptor.comp(0).offset() != 0
        || descriptor.comp(0).step() > 2 || descriptor.comp(0).depth() > 16 || (descriptor.flags() & AV_PIX_FMT_FLAG_BE) != 0) {
      return true;
    }
    int width = frame.width();
    int height = frame.height();
    int stride = frame.linesize(0);
    int wide = descriptor.comp(0).step();
    int shift = descriptor.comp(0).depth() - 8;
    byte[] raw = new byte[stride];
    int[][] rows = new int[5][width];
    int[] counts = new int[(width + 15) / 16];
    BytePointer luma = frame.data(0);
    java.util.function.IntConsumer load = y -> {
      luma.position((long) y * stride).get(raw, 0, Math.min(stride, width * wide));
      int[] row = rows[Math.floorMod(y, 5)];
      for (int x = 0; x < width; x++) {
        row[x] = wide == 1 ? raw[x] & 0xff : (((raw[2 * x] & 0xff) | (raw[2 * x + 1] & 0xff) << 8) >> shift);
      }
    };
    try {
      for (int y = 0; y < Math.min(4, height); y++) {
        load.accept(y);
      }
      int t = COMB_THRESHOLD;
      for (int y = 2; y < height - 2; y++) {
        load.accept(y + 2);
        if (y % 16 == 0) {
          java.util.Arrays.fill(counts, 0);
        }
        int[] up2 = rows[(y - 2) % 5];
        int[] up = rows[(y - 1) % 5];
        int[] cur = rows[y % 5];
        int[] down = rows[(y + 1) % 5];
        int[] down2 = rows[(y + 2) % 5];
        for (int x = 0; x < width; x++) {
          int a = cur[x] - up[x];
          int b = cur[x] - down[x];
          if (((a > t && b > t) || (a < -t && b < -t))
              && Math.abs(up2[x] + 4 * cur[x] + down2[x] - 3 * (up[x] + down[x])) > 6 * t
              && ++counts[x / 16] > COMB_PIXELS) {
            return true;
          }
        }
      }
      return false;
    } finally {
      luma.position(0);
    }
  }

  /** A scaler to 8-bit gray at one size, kept between frames (each size in use has its own). */
  private static final class Gray implements AutoCloseable {
    private final AVFrame out = av_frame_alloc();
    private final Rows rows = new Rows();
    private SwsContext scaler;

    byte[] pixels(AVFrame frame, int width, int height, boolean oneField) throws VideoException {
      if (out.width() != width || out.height() != height) {
        av_frame_unref(out);
        out.format(AV_PIX_FMT_GRAY8).width(width).height(height);
        check(av_frame_get_buffer(out, 0), "allocate a thumbnail");
      }
      rows.of(frame, oneField);
      scaler = sws_getCachedContext(scaler, frame.width(), rows.height, frame.format(),
          width, height, AV_PIX_FMT_GRAY8, SWS_AREA, null, null, (DoublePointer) null);
      if (scaler == null) {
        throw new VideoException("cannot scale pixel format " + frame.format() + " to gray");
      }
      sws_scale(scaler, frame.data(), rows.strides, 0, rows.height, out.data(), out.linesize());
      byte[] pixels = new byte[width * height];
      int stride = out.linesize(0);
      for (int y = 0; y < height; y++) {
        out.data(0).position((long) y * stride).get(pixels, y * width, width);
      }
      out.data(0).position(0);
      return pixels;
    }

    @Override
    public void close() {
      rows.close();
      av_frame_free(out);
      if (scaler != null) {
        sws_freeContext(scaler);
        scaler = null;
      }
    }
  }

  /**
   * The frame encoded as JPEG or PNG at its {@linkplain #displaySize display size}: its own, or
   * resampled to square pixels when its pixels are not square. A combed interlaced frame that weaves
   * two film pictures (telecine: 3:2 pulldown puts the fields of one picture in two frames) is saved
   * whole: one of its fields with the other field of {@code before} or {@code after}, the frames next
   * to it (null where there is none), when that weave shows no combs — FFmpeg's {@code fieldmatch}'s
   * previous and next matches. Otherwise, video interlaced through and through (each field its own
   * moment), the frame is deinterlaced with both neighbours ({@link Deinterlacer}: FFmpeg's
   * {@code bwdif}), or read from one field where a neighbour is missing or the filter cannot take it.
   * HDR (PQ or HLG) is tone-mapped to SDR BT.709 first ({@link ToneMapper}).
   */
  public byte[] encode(AVFrame frame, AVFrame before, AVFrame after) throws VideoException {
    if (!readsOneField(frame)) {
      return encode(frame, false);
    }
    boolean topFirst = topFieldFirst(frame);
    for (AVFrame other : new AVFrame[] {before, after}) {
      if (other == null) {
        continue;
      }
      // the field shown first is kept and the other matched, then the other way round
      for (boolean keepTop : new boolean[] {topFirst, !topFirst}) {
        if (weave(keepTop ? frame : other, keepTop ? other : frame, frame) && !combed(woven)) {
          return encode(woven, false);
        }
      }
    }
    if (before != null && after != null) {
      AVFrame deinterlaced = deinterlacer.deinterlace(before, frame, after);
      if (deinterlaced != null) {
        return encode(deinterlaced, false);
      }
    }
    return encode(frame, true);
  }

  /**
   * Weaves into {@link #woven} the top field (even rows) of {@code top} and the bottom field of
   * {@code bottom}, with the properties (pixel shape, colours, rotation) of {@code like}; false when
   * the two differ in size or pixel format, or their pixels are not plain planes in memory.
   */
  private boolean weave(AVFrame top, AVFrame bottom, AVFrame like) {
    int pixelFormat = like.format();
    AVPixFmtDescriptor descriptor = av_pix_fmt_desc_get(pixelFormat);
    if (!samePictures(top, bottom) || descriptor == null || (descriptor.flags() & (AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_PAL
        | AV_PIX_FMT_FLAG_BITSTREAM)) != 0) {
      return false;
    }
    av_frame_unref(woven);
    woven.format(pixelFormat);
    woven.width(like.width());
    woven.height(like.height());
    if (av_frame_get_buffer(woven, 0) < 0 || av_frame_copy_props(woven, like) < 0) {
      return false;
    }
    for (int plane = 0; plane < av_pix_fmt_count_planes(pixelFormat); plane++) {
      int bytes = av_image_get_linesize(pixelFormat, like.width(), plane);
      // chroma planes have fewer rows; luma and alpha all of them
      int rows = plane == 1 || plane == 2 ? -(-like.height() >> descriptor.log2_chroma_h()) : like.height();
      int stride = woven.linesize(plane);
      av_image_copy_plane(woven.data(plane), 2 * stride, top.data(plane), 2 * top.linesize(plane), bytes,
          (rows + 1) / 2);
      av_image_copy_plane(woven.data(plane).getPointer(stride), 2 * stride,
          bottom.data(plane).getPointer(bottom.linesize(plane)), 2 * bottom.linesize(plane), bytes, rows / 2);
    }
    return true;
  }

  private byte[] encode(AVFrame frame, boolean oneField) throws VideoException {
    lastHdr = Hdr.NONE;
    if (ToneMapper.isHdr(frame)) { // HDR as a player shows it on an SDR screen
      AVFrame sdr = toneMapper.toSdr(frame);
      // null: a pixel format zscale has not, saved from its code values as they are
      lastHdr = sdr != null ? Hdr.TONE_MAPPED : Hdr.NOT_TONE_MAPPED;
      frame = sdr != null ? sdr : frame;
    }
    int turns = quarterTurns(frame);
    int[] size = squarePixels(frame); // the scaler's output; turned after
    int width = size[0];
    int height = size[1];
    if (encoder == null || width != encodeWidth || height != encodeHeight || turns != encodeTurns) {
      openEncoder(width, height, turns);
    }
    AVFrame direct = format == Format.JPG && turns == 0 && !oneField && width == frame.width()
        && height == frame.height() ? jpegColours(frame) : null;
    if (direct != null) {
      return encoded(direct);
    }
    AVFrame scaled = turns == 0 ? converted : unturned;
    int pixelFormat = format == Format.JPG ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_RGB24;
    encodeRows.of(frame, oneField);
    encodeScaler = sws_getCachedContext(encodeScaler, frame.width(), encodeRows.height, frame.format(), width, height,
        pixelFormat, SWS_BICUBIC, null, null, (DoublePointer) null);
    if (encodeScaler == null) {
      throw new VideoException("cannot convert pixel format " + frame.format() + " for encoding");
    }
    if (isYuv(frame.format())) {
      // the frame's colour matrix and range in; out, JPEG's (JFIF: BT.601, full range) or RGB
      sws_setColorspaceDetails(encodeScaler, sws_getCoefficients(matrix(frame)),
          frame.color_range() == AVCOL_RANGE_JPEG || isFullRangeFormat(frame.format()) ? 1 : 0,
          sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16, 1 << 16);
    }
    sws_scale(encodeScaler, frame.data(), encodeRows.strides, 0, encodeRows.height, scaled.data(),
        scaled.linesize());
    if (turns != 0) {
      turn(unturned, converted, turns, format == Format.JPG ? 3 : 1, format == Format.JPG ? 1 : 3);
    }
    return encoded(converted);
  }

  /**
   * {@code frame} (4:2:0 BT.709 YUV at the encoder's size) in JPEG's colours — JFIF's BT.601 matrix,
   * full range — through FFmpeg's {@code colorspace} filter, which converts matrix and range in YUV
   * itself: the chroma samples exactly, each pixel's luma with the chroma of its 2×2 block. Null
   * where it does not apply (another pixel format or matrix, odd sizes), and the scaler does it.
   * swscale goes from one YUV matrix to another by way of 8-bit RGB, clipped, resampling the chroma
   * twice: 2.0 ms a 1280×720 frame against the filter's 0.35, and against the exact conversion
   * (chroma interpolated to each pixel) its luma off by 1.2 levels on average on a real frame, the
   * filter's by 0.02; on a texture with saturated hues and hard colour edges 12.8 against 0.27
   * ({@code FrameConverterTest}). BT.601 footage, whose matrix stays, is left to swscale, which
   * then changes the range alone in YUV (0.5 ms): the filter would round a few samples a frame the
   * other way, and the frames of SD footage stay the bytes they were.
   */
  AVFrame jpegColours(AVFrame frame) {
    if (frame.format() != AV_PIX_FMT_YUV420P || frame.width() % 2 != 0 || frame.height() % 2 != 0
        || matrix(frame) != SWS_CS_ITU709) {
      return null;
    }
    AVFrame out = colours.through(frame.color_range() == AVCOL_RANGE_JPEG ? FULL_TO_JPEG : LIMITED_TO_JPEG, frame);
    if (out == null || out.format() != AV_PIX_FMT_YUV420P || out.width() != frame.width()
        || out.height() != frame.height()) {
      return null;
    }
    // the same planes; the encoder was opened for the (deprecated) full-range name of the format
    out.format(AV_PIX_FMT_YUVJ420P);
    out.color_range(AVCOL_RANGE_JPEG);
    return out;
  }

  private static List<FilterChain.Filter> toJpeg(String range) {
    return List.of(new FilterChain.Filter("colorspace", "ispace=bt709:irange=" + range
        + ":iprimaries=bt709:itrc=bt709:space=bt470bg:range=pc:primaries=bt709:trc=bt709:format=yuv420p"));
  }

  /** {@code picture}, in the encoder's pixel format and size, encoded. */
  private byte[] encoded(AVFrame picture) throws VideoException {
    picture.quality(encoder.global_quality());
    check(avcodec_send_frame(encoder, picture), "encode a frame");
    check(avcodec_receive_packet(encoder, packet), "encode a frame");
    byte[] bytes = new byte[packet.size()];
    packet.data().get(bytes);
    av_packet_unref(packet);
    return bytes;
  }

  /**
   * The colour matrix the frame's YUV was made with, as swscale names it: what the stream declares,
   * else what players assume — BT.709 for HD (wider than 1024 or taller than 576 pixels), BT.601
   * below. swscale's default is BT.601 whatever the frame says: HD video read with it shifts every
   * colour (a red of 224, 48, 32 came out 207, 30, 32).
   */
  static int matrix(AVFrame frame) {
    return switch (frame.colorspace()) {
      case AVCOL_SPC_BT709 -> SWS_CS_ITU709;
      case AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M -> SWS_CS_ITU601;
      case AVCOL_SPC_SMPTE240M -> SWS_CS_SMPTE240M;
      case AVCOL_SPC_FCC -> SWS_CS_FCC;
      case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL -> SWS_CS_BT2020;
      default -> frame.width() > 1024 || frame.height() > 576 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    };
  }

  /** Whether {@code pixelFormat} is a YUV format (not RGB, gray or palette). */
  private static boolean isYuv(int pixelFormat) {
    AVPixFmtDescriptor descriptor = av_pix_fmt_desc_get(pixelFormat);
    return descriptor != null && descriptor.nb_components() >= 3
        && (descriptor.flags() & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) == 0;
  }

  /** The deprecated yuvj formats, full range by their name whatever the frame's range says. */
  private static boolean isFullRangeFormat(int pixelFormat) {
    return pixelFormat == AV_PIX_FMT_YUVJ420P || pixelFormat == AV_PIX_FMT_YUVJ422P || pixelFormat == AV_PIX_FMT_YUVJ444P;
  }

  /**
   * Copies {@code from}'s pictures into {@code to} turned {@code turns} quarter turns clockwise:
   * {@code planes} planes (a 4:2:0 image's chroma planes are half its size, rounded up) of
   * {@code bytes} bytes a pixel.
   */
  private static void turn(AVFrame from, AVFrame to, int turns, int planes, int bytes) {
    for (int p = 0; p < planes; p++) {
      int w = p == 0 ? from.width() : (from.width() + 1) / 2;
      int h = p == 0 ? from.height() : (from.height() + 1) / 2;
      int inStride = from.linesize(p);
      int outStride = to.linesize(p);
      int outW = turns % 2 == 1 ? h : w;
      int outH = turns % 2 == 1 ? w : h;
      byte[] in = new byte[inStride * h];
      from.data(p).position(0).get(in);
      byte[] out = new byte[outStride * outH];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int tx = turns == 1 ? h - 1 - y : turns == 2 ? w - 1 - x : y;
          int ty = turns == 1 ? x : turns == 2 ? h - 1 - y : w - 1 - x;
          System.arraycopy(in, y * inStride + x * bytes, out, ty * outStride + tx * bytes, bytes);
        }
      }
      to.data(p).position(0).put(out, 0, outStride * (outH - 1) + outW * bytes);
    }
  }

  private void openEncoder(int width, int height, int turns) throws VideoException {
    freeEncoder();
    int[] encoded = turned(new int[] {width, height}, turns);
    int encodedWidth = encoded[0];
    int encodedHeight = encoded[1];
    AVCodec codec = avcodec_find_encoder(format == Format.JPG ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG);
    if (codec == null) {
      throw new VideoException("FFmpeg has no " + format + " encoder");
    }
    encoder = avcodec_alloc_context3(codec);
    int pixelFormat = format == Format.JPG ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_RGB24;
    encoder.width(encodedWidth).height(encodedHeight).pix_fmt(pixelFormat).time_base(new AVRational().num(1).den(25));
    if (format == Format.JPG) {
      encoder.color_range(AVCOL_RANGE_JPEG);
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_QSCALE);
      encoder.global_quality(jpegQuality * FF_QP2LAMBDA);
      encoder.qmin(jpegQuality).qmax(jpegQuality);
    }
    check(avcodec_open2(encoder, codec, (AVDictionary) null), "open the " + format + " encoder");
    converted = picture(pixelFormat, encodedWidth, encodedHeight);
    if (turns != 0) {
      unturned = picture(pixelFormat, width, height);
    }
    encodeWidth = width;
    encodeHeight = height;
    encodeTurns = turns;
  }

  private AVFrame picture(int pixelFormat, int width, int height) throws VideoException {
    AVFrame picture = av_frame_alloc();
    picture.format(pixelFormat).width(width).height(height);
    if (format == Format.JPG) {
      picture.color_range(AVCOL_RANGE_JPEG);
    }
    check(av_frame_get_buffer(picture, 0), "allocate a frame to encode");
    return picture;
  }

  private static void check(int ret, String what) throws VideoException {
    if (ret < 0) {
      throw new VideoException("cannot " + what + " (" + FFmpegVideo.error(ret) + ")");
    }
  }

  private void freeEncoder() {
    if (encoder != null) {
      avcodec_free_context(encoder);
      encoder = null;
    }
    if (converted != null) {
      av_frame_free(converted);
      converted = null;
    }
    if (unturned != null) {
      av_frame_free(unturned);
      unturned = null;
    }
  }

  /** Frees the filter graphs kept (tone mapping, JPEG's colours); the next frame that needs one builds it again. */
  public void releaseFilters() {
    toneMapper.release();
    colours.release();
  }

  /** What an encoded frame's HDR came to. */
  public enum Hdr { NONE, TONE_MAPPED, NOT_TONE_MAPPED }

  /** What the last {@link #encode} did with HDR: nothing (SDR), tone-mapped it, or could not. */
  public Hdr lastHdr() {
    return lastHdr;
  }

  @Override
  public void close() {
    freeEncoder();
    thumb.close();
    detail.close();
    encodeRows.close();
    av_frame_free(woven);
    deinterlacer.close();
    toneMapper.close();
    colours.close();
    av_packet_free(packet);
    if (encodeScaler != null) {
      sws_freeContext(encodeScaler);
      encodeScaler = null;
    }
  }
}
