package io.reelset.media;

import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_link;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Deinterlaces one frame of video that is interlaced through and through — each field its own
 * moment, no film picture to rebuild — with FFmpeg's {@code bwdif} filter (motion adaptive: where
 * nothing moved between the fields the other field's rows are kept, where something moved the
 * missing rows are interpolated from the field's own rows and the frames before and after), instead
 * of reading one field and stretching it. The output is the moment of the frame's first field, as
 * {@code bwdif=mode=send_frame} gives one frame per frame.
 *
 * <p>The filter needs the frames next to the one it deinterlaces: a graph is built for the three,
 * run and freed (less than a millisecond beside the filter's few milliseconds on an HD frame; only
 * the sampled frames that are combed pay it). Not thread-safe.
 */
final class Deinterlacer implements AutoCloseable {
  private final AVFrame output = av_frame_alloc();
  private boolean filtersLoaded;

  /**
   * Deinterlaces {@code frame}, with {@code before} and {@code after} the frames decoded just before
   * and after it, into a frame owned by this deinterlacer (valid until the next call or close), with
   * the properties of {@code frame}; null where the filter cannot take the frames (a pixel format
   * {@code bwdif} has not, frames of different sizes): read one field then.
   */
  AVFrame deinterlace(AVFrame before, AVFrame frame, AVFrame after) {
    if (!FrameConverter.samePictures(before, frame) || !FrameConverter.samePictures(after, frame)
        || frame.height() < 4) {
      return null;
    }
    if (!filtersLoaded) { // on the first combed frame, not for every video
      FFmpegLibraries.loadFilters();
      filtersLoaded = true;
    }
    AVFilterGraph graph = avfilter_graph_alloc();
    if (graph == null) {
      return null;
    }
    try {
      graph.nb_threads(1); // one decoder per worker already keeps every core busy
      AVFilterContext source = new AVFilterContext();
      AVFilterContext bwdif = new AVFilterContext();
      AVFilterContext sink = new AVFilterContext();
      int sarNum = frame.sample_aspect_ratio().num();
      int sarDen = frame.sample_aspect_ratio().den();
      String args = String.format(Locale.ROOT, "video_size=%dx%d:pix_fmt=%d:time_base=1/1:pixel_aspect=%d/%d:"
              + "colorspace=%d:range=%d", frame.width(), frame.height(), frame.format(),
          sarNum > 0 && sarDen > 0 ? sarNum : 1, sarNum > 0 && sarDen > 0 ? sarDen : 1, frame.colorspace(),
          frame.color_range());
      if (avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args, null, graph) < 0
          || avfilter_graph_create_filter(bwdif, avfilter_get_by_name("bwdif"), "bwdif",
              "mode=send_frame:parity=auto:deint=all", null, graph) < 0
          || avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph) < 0
          || avfilter_link(source, 0, bwdif, 0) < 0 || avfilter_link(bwdif, 0, sink, 0) < 0
          || avfilter_graph_config(graph, null) < 0) {
        return null;
      }
      AVFrame[] in = {before, frame, after};
      for (int i = 0; i < in.length; i++) {
        AVFrame ref = av_frame_clone(in[i]); // a new reference to the same pixels, given to the filter
        if (ref == null) {
          return null;
        }
        ref.pts(i);
        int added = av_buffersrc_add_frame(source, ref);
        av_frame_free(ref);
        if (added < 0) {
          return null;
        }
      }
      av_buffersrc_add_frame(source, null); // the end: the filter gives out all it holds
      // the filter counts time in half frames (its output could be one frame per field): the frame
      // given in at 1 s comes out at 1 s in its time base
      AVRational base = av_buffersink_get_time_base(sink);
      AVFrame got = av_frame_alloc();
      boolean found = false;
      try {
        while (av_buffersink_get_frame(sink, got) >= 0) {
          if (!found && (long) got.pts() * base.num() == base.den()) {
            av_frame_unref(output);
            av_frame_move_ref(output, got);
            found = true;
          } else {
            av_frame_unref(got);
          }
        }
      } finally {
        av_frame_free(got);
      }
      if (!found) {
        return null;
      }
      // the filter passes the frame's side data (rotation) on; these it may not
      output.sample_aspect_ratio(frame.sample_aspect_ratio());
      output.colorspace(frame.colorspace());
      output.color_range(frame.color_range());
      return output;
    } finally {
      avfilter_graph_free(graph);
    }
  }

  @Override
  public void close() {
    av_frame_free(output);
  }
}
