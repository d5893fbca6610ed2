package io.reelset.values;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;

/** A video with what probing it found; the element frame extraction splits and decodes. */
@DefaultCoder(ProbedVideoCoder.class)
public record ProbedVideo(VideoFile file, VideoInfo info) implements Serializable {

  public String key() {
    return file.key();
  }
}
