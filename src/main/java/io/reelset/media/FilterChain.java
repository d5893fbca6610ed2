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
 * named, to a buffer sink — built for one call, run and freed ({@link #run}: filters that need
 * the frames around one), or kept from frame to frame ({@link #through}: filters that take one
 * frame at a time). Only sampled frames that need it pay it. The frame given out is owned by the
 * chain, valid until its next call or close. Not thread-safe.
 */
final class FilterChain implements AutoCloseable {
  /** A filter of the chain: its name and its options ({@code key=value:...}). */
  record Filter(String name, String options) {}

  private final AVFrame output = av_frame_alloc();
  private Graph kept;
  private String keptKey;
  private long keptPts;

  /**
   * Gives {@code frames} (of one size and format: {@code like}'s) to the chain at times 0, 1, 2...
   * (in a time base of 1 s) and keeps the frame that comes out at {@code wantedSeconds} seconds;
   * null when the graph cannot be built for these frames (a pixel format a filter has not) or no
   * such frame comes out. The frame kept has {@code like}'s pixel shape.
   */
  AVFrame run(List<Filter> filters, AVFrame like, AVFrame[] frames, long wantedSeconds) {
    Graph graph = Graph.build(filters, like);
    if (graph == null) {
      return null;
    }
    try {
      for (int i = 0; i < frames.length; i++) {
        if (!graph.add(frames[i], i)) {
          return null;
        }
      }
      av_buffersrc_add_frame(graph.source, null); // the end: the filters give out all they hold
      // a filter may count time in a finer base (bwdif in half frames): compare in seconds
      AVRational base = av_buffersink_get_time_base(graph.sink);
      AVFrame got = av_frame_alloc();
      boolean found = false;
      try {
        while (av_buffersink_get_frame(graph.sink, got) >= 0) {
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
      return found ? withPixelShapeOf(like) : null;
    } finally {
      graph.free();
    }
  }

  /**
   * {@code frame} through filters that give a frame out for each frame in, holding none back (no
   * frames before or after needed): the graph is kept while the frames keep their size, pixel
   * format and colours, so that its buffers are reused rather than allocated and touched anew for
   * every frame (a 4K frame through zscale in float needs hundreds of megabytes of them). Null
   * where the graph cannot be built for the frame or gives nothing out.
   */
  AVFrame through(List<Filter> filters, AVFrame frame) {
    String key = filters + " " + Graph.sourceArgs(frame);
    if (kept == null || !key.equals(keptKey)) {
      release();
      kept = Graph.build(filters, frame);
      keptKey = key;
      if (kept == null) {
        return null;
      }
    }
    if (!kept.add(frame, keptPts++)) {
      release();
      return null;
    }
    av_frame_unref(output);
    if (av_buffersink_get_frame(kept.sink, output) < 0) {
      release();
      return null;
    }
    return withPixelShapeOf(frame);
  }

  private AVFrame withPixelShapeOf(AVFrame like) {
    output.sample_aspect_ratio(like.sample_aspect_ratio()); // filters may not pass it on
    return output;
  }

  /** Frees the graph {@link #through} keeps, and its buffers; the next call builds it again. */
  void release() {
    if (kept != null) {
      kept.free();
      kept = null;
      keptKey = null;
    }
  }

  /** A built graph: a buffer source, the filters, a buffer sink. */
  private static final class Graph {
    private final AVFilterGraph graph;
    private final AVFilterContext source = new AVFilterContext();
    private final AVFilterContext sink = new AVFilterContext();

    private Graph(AVFilterGraph graph) {
      this.graph = graph;
    }

    /** The buffer source's arguments for frames like {@code like}. */
    static String sourceArgs(AVFrame like) {
      int sarNum = like.sample_aspect_ratio().num();
      int sarDen = like.sample_aspect_ratio().den();
      return String.format(Locale.ROOT, "video_size=%dx%d:pix_fmt=%d:time_base=1/1:pixel_aspect=%d/%d:"
              + "colorspace=%d:range=%d", like.width(), like.height(), like.format(),
          sarNum > 0 && sarDen > 0 ? sarNum : 1, sarNum > 0 && sarDen > 0 ? sarDen : 1, like.colorspace(),
          like.color_range());
    }

    /** The graph for frames like {@code like}; null when it cannot be built. */
    static Graph build(List<Filter> filters, AVFrame like) {
      FFmpegLibraries.loadFilters();
      AVFilterGraph allocated = avfilter_graph_alloc();
      if (allocated == null) {
        return null;
      }
      Graph g = new Graph(allocated);
      allocated.nb_threads(1); // one decoder per worker already keeps every core busy
      if (avfilter_graph_create_filter(g.source, avfilter_get_by_name("buffer"), "in", sourceArgs(like), null,
              allocated) < 0
          || avfilter_graph_create_filter(g.sink, avfilter_get_by_name("buffersink"), "out", null, null,
              allocated) < 0) {
        g.free();
        return null;
      }
      AVFilterContext last = g.source;
      for (int i = 0; i < filters.size(); i++) {
        AVFilterContext next = new AVFilterContext();
        if (avfilter_graph_create_filter(next, avfilter_get_by_name(filters.get(i).name()), "f" + i,
            filters.get(i).options(), null, allocated) < 0 || avfilter_link(last, 0, next, 0) < 0) {
          g.free();
          return null;
        }
        last = next;
      }
      if (avfilter_link(last, 0, g.sink, 0) < 0 || avfilter_graph_config(allocated, null) < 0) {
        g.free();
        return null;
      }
      return g;
    }

    /** Gives the graph a new reference to {@code frame}'s pixels at {@code pts}; false if it refuses it. */
    boolean add(AVFrame frame, long pts) {
      AVFrame ref = av_frame_clone(frame);
      if (ref == null) {
        return false;
      }
      ref.pts(pts);
      int added = av_buffersrc_add_frame(source, ref);
      av_frame_free(ref);
      return added >= 0;
    }

    void free() {
      avfilter_graph_free(graph);
    }
  }

  @Override
  public void close() {
    release();
    av_frame_free(output);
  }
}
