package io.reelset.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/** Encodes an image as WebP with FFmpeg's libwebp encoder (lossy, 4:2:0). */
public final class WebpEncoder {
  private WebpEncoder() {}

  /**
   * @param argb opaque pixels, row-major
   * @param quality 0–100
   */
  public static byte[] encode(int[] argb, int width, int height, int quality) throws VideoException {
    FFmpegLibraries.load();
    AVCodec codec = avcodec_find_encoder_by_name("libwebp");
    if (codec == null) {
      throw new VideoException("this FFmpeg build has no libwebp encoder");
    }
    AVCodecContext encoder = avcodec_alloc_context3(codec);
    AVFrame source = av_frame_alloc();
    AVFrame yuv = av_frame_alloc();
    AVPacket packet = av_packet_alloc();
    SwsContext scaler = null;
    try {
      encoder.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P).time_base(new AVRational().num(1).den(25));
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_QSCALE);
      encoder.global_quality(quality * FF_QP2LAMBDA);
      check(avcodec_open2(encoder, codec, (AVDictionary) null), "open the WebP encoder");
      source.format(AV_PIX_FMT_BGRA).width(width).height(height);
      check(av_frame_get_buffer(source, 0), "allocate a frame");
      yuv.format(AV_PIX_FMT_YUV420P).width(width).height(height);
      check(av_frame_get_buffer(yuv, 0), "allocate a frame");
      int stride = source.linesize(0);
      ByteBuffer row = ByteBuffer.allocate(width * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int y = 0; y < height; y++) {
        row.clear();
        for (int x = 0; x < width; x++) {
          row.putInt(argb[y * width + x] | 0xff000000); // B, G, R, A in memory
        }
        source.data(0).position((long) y * stride).put(row.array(), 0, width * 4);
      }
      source.data(0).position(0);
      scaler = sws_getContext(width, height, AV_PIX_FMT_BGRA, width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
          null, null, (DoublePointer) null);
      if (scaler == null) {
        throw new VideoException("cannot convert to YUV 4:2:0 for WebP");
      }
      sws_scale(scaler, source.data(), source.linesize(), 0, height, yuv.data(), yuv.linesize());
      yuv.pts(0);
      check(avcodec_send_frame(encoder, yuv), "encode WebP");
      check(avcodec_send_frame(encoder, null), "finish WebP");
      check(avcodec_receive_packet(encoder, packet), "encode WebP");
      byte[] bytes = new byte[packet.size()];
      packet.data().get(bytes);
      return bytes;
    } finally {
      if (scaler != null) {
        sws_freeContext(scaler);
      }
      av_packet_free(packet);
      av_frame_free(source);
      av_frame_free(yuv);
      avcodec_free_context(encoder);
    }
  }

  private static void check(int ret, String what) throws VideoException {
    if (ret < 0) {
      throw new VideoException("cannot " + what + " (" + FFmpegVideo.error(ret) + ")");
    }
  }
}
