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

import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Runs decoded frames through a chain of FFmpeg filters ({@code libavfilter}): a graph from a
 * buffer source with the frames' size, pixel format, pixel shape and colours, through the filters
 * named, to a buffer sink; built for one call, run, and freed (well under a millisecond beside the
 * filters' own work on an HD frame; only sampled frames that need it pay it). The one frame kept
 * is owned by the chain, valid until its next call or close. Not thread-safe.
 */
final class FilterChain implements AutoCloseable {
  /** A filter of the chain: its name and its options ({@code key=value:...}). */
  record Filter(String name, String options) {}

  private final AVFrame output = av_frame_alloc();
  private boolean filtersLoaded;

  /**
   * Gives {@code frames} (of one size and format: {@code like}'s) to the chain at times 0, 1, 2...
   * (in a time base of 1 s) and keeps the frame that comes out at {@code wantedSeconds} seconds;
   * null when the graph cannot be built for these frames (a pixel format a filter has not) or no
   * such frame comes out. The frame kept has {@code like}'s pixel shape.
   */
  AVFrame run(List<Filter> filters, AVFrame like, AVFrame[] frames, long wantedSeconds) {
    if (!filtersLoaded) { // on the first frame that needs it, not for every video
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
      AVFilterContext sink = new AVFilterContext();
      int sarNum = like.sample_aspect_ratio().num();
      int sarDen = like.sample_aspect_ratio().den();
      String args = String.format(Locale.ROOT, "video_size=%dx%d:pix_fmt=%d:time_base=1/1:pixel_aspect=%d/%d:"
              + "colorspace=%d:range=%d", like.width(), like.height(), like.format(),
          sarNum > 0 && sarDen > 0 ? sarNum : 1, sarNum > 0 && sarDen > 0 ? sarDen : 1, like.colorspace(),
          like.color_range());
      if (avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args, null, graph) < 0
          || avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph) < 0) {
        return null;
      }
      AVFilterContext last = source;
      for (int i = 0; i < filters.size(); i++) {
        AVFilterContext next = new AVFilterContext();
        if (avfilter_graph_create_filter(next, avfilter_get_by_name(filters.get(i).name()), "f" + i,
            filters.get(i).options(), null, graph) < 0 || avfilter_link(last, 0, next, 0) < 0) {
          return null;
        }
        last = next;
      }
      if (avfilter_link(last, 0, sink, 0) < 0 || avfilter_graph_config(graph, null) < 0) {
        return null;
      }
      for (int i = 0; i < frames.length; i++) {
        AVFrame ref = av_frame_clone(frames[i]); // a new reference to the same pixels, given to the graph
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
      av_buffersrc_add_frame(source, null); // the end: the filters give out all they hold
      // a filter may count time in a finer base (bwdif in half frames): compare in seconds
      AVRational base = av_buffersink_get_time_base(sink);
      AVFrame got = av_frame_alloc();
      boolean found = false;
      try {
        while (av_buffersink_get_frame(sink, got) >= 0) {
          if (!found && (long) got.pts() * base.num() == wantedSeconds * base.den()) {
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
      output.sample_aspect_ratio(like.sample_aspect_ratio()); // filters may not pass it on
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
