package io.reelset.media;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_ARIB_STD_B67;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE2084;

import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Brings a frame of HDR video (PQ, as HDR10 and Dolby Vision's base layer; or HLG) down to SDR
 * BT.709 as a player shows it on an ordinary screen, instead of reading its PQ or HLG code values as
 * if they were BT.709's — which makes a frame look flat and grey, its shadows lifted, its highlights
 * dull and its colours washed out (BT.2020's primaries read as BT.709's). The chain is the one
 * FFmpeg's documentation and most guides give: {@code zscale} to linear light (100 nits as 1.0),
 * BT.2020 to BT.709 primaries, {@code tonemap} with Hable's curve (the signal's peak from the
 * frame's content light level or mastering display metadata where it has them), then BT.709's
 * transfer and matrix, limited range, 4:2:0. The filter graph is kept from one frame to the next
 * while they keep their size and colours. Not thread-safe.
 */
final class ToneMapper implements AutoCloseable {
  private static final List<FilterChain.Filter> TO_SDR = List.of(
      new FilterChain.Filter("zscale", "transfer=linear:npl=100"),
      new FilterChain.Filter("format", "pix_fmts=gbrpf32le"),
      new FilterChain.Filter("zscale", "primaries=bt709"),
      new FilterChain.Filter("tonemap", "tonemap=hable:desat=0"),
      new FilterChain.Filter("zscale", "transfer=bt709:matrix=bt709:range=limited"),
      new FilterChain.Filter("format", "pix_fmts=yuv420p"));
  private final FilterChain chain = new FilterChain();

  /** Whether {@code frame} says it is HDR: PQ (SMPTE ST 2084) or HLG (ARIB STD-B67) transfer. */
  static boolean isHdr(AVFrame frame) {
    return frame.color_trc() == AVCOL_TRC_SMPTE2084 || frame.color_trc() == AVCOL_TRC_ARIB_STD_B67;
  }

  /**
   * {@code frame} tone-mapped to SDR BT.709 (owned by this mapper, valid until the next call or
   * close); null where the filters cannot take it (a pixel format {@code zscale} has not).
   */
  AVFrame toSdr(AVFrame frame) {
    AVFrame output = chain.through(TO_SDR, frame);
    if (output == null) {
      return null;
    }
    output.colorspace(AVCOL_SPC_BT709);
    output.color_range(AVCOL_RANGE_MPEG);
    output.color_trc(AVCOL_TRC_BT709);
    output.color_primaries(AVCOL_PRI_BT709);
    return output;
  }

  /** Frees the kept graph and its buffers (the next frame builds it again). */
  void release() {
    chain.release();
  }

  @Override
  public void close() {
    chain.close();
  }
}
